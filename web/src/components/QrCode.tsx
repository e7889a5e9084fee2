import QRCode from 'qrcode';
import { useEffect, useState } from 'react';

/** M: survives ~15% damage, enough for screens and clean print (spec/channels.md §8). */
const ECC = 'M';
/** The quiet zone §8 recommends as a minimum, in modules. */
const MARGIN = 4;
const PNG_WIDTH = 1024;

function download(href: string, fileName: string): void {
  const a = document.createElement('a');
  a.href = href;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
}

/**
 * A QR code of `text`, drawn in the browser, with SVG (print) and PNG (chat apps, slides)
 * downloads named `fileName`.svg / .png.
 */
export function QrCode({
  text,
  fileName,
  caption,
  downloads = true,
}: {
  text: string;
  fileName: string;
  caption?: string;
  /** Off for previews, whose placeholder ref must not end up printed. */
  downloads?: boolean;
}) {
  const [svg, setSvg] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    QRCode.toString(text, { type: 'svg', errorCorrectionLevel: ECC, margin: MARGIN }).then(
      (value) => {
        if (!live) return;
        setSvg(value);
        setFailed(false);
      },
      () => {
        if (live) setFailed(true);
      },
    );
    return () => {
      live = false;
    };
  }, [text]);

  function downloadSvg() {
    if (!svg) return;
    const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    download(url, `${fileName}.svg`);
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }
  async function downloadPng() {
    const dataUrl = await QRCode.toDataURL(text, {
      errorCorrectionLevel: ECC,
      margin: MARGIN,
      width: PNG_WIDTH,
    });
    download(dataUrl, `${fileName}.png`);
  }

  if (failed) return <p className="field-error">This link is too long for a QR code.</p>;
  return (
    <figure className={downloads ? 'qr' : 'qr qr-preview'}>
      {svg ? (
        <img
          src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`}
          alt={`QR code for ${text}`}
        />
      ) : (
        <div className="qr-placeholder" aria-hidden="true" />
      )}
      {caption && <figcaption>{caption}</figcaption>}
      {downloads && (
        <div className="row">
          <button type="button" className="button secondary small" onClick={downloadSvg} disabled={!svg}>
            Download SVG
          </button>
          <button type="button" className="button secondary small" onClick={() => void downloadPng()}>
            Download PNG
          </button>
        </div>
      )}
    </figure>
  );
}
