import { describe, expect, it } from 'vitest';
import { csvCell, csvRow } from './csv.js';

describe('csvCell', () => {
  it.each([
    ['=1+2', "'=1+2"],
    ['+1+2', "'+1+2"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1:A2)', "'@SUM(A1:A2)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ['-12.50', "'-12.50"],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['plain text', 'plain text'],
    ['a=b', 'a=b'],
  ])('writes the text %j as %j', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it.each([
    [-1250, '-1250'],
    [-0.5, '-0.5'],
    [0, '0'],
    [true, 'true'],
    [null, ''],
    [undefined, ''],
  ])('writes %j as a value, not text (%j)', (value, written) => {
    expect(csvCell(value)).toBe(written);
  });

  it('writes objects as JSON text, neutralised like any text', () => {
    expect(csvCell({ low: 0.1 })).toBe('"{""low"":0.1}"');
    expect(csvCell(['=1'])).toBe('"[""=1""]"');
  });

  it('joins a row', () => {
    expect(csvRow(['a', -1, '@x', null])).toBe("a,-1,'@x,");
  });
});
