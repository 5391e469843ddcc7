/**
 * An SVG chart of a panel as a file: its markup (serialised by the browser, so text from run files
 * is escaped as XML), or a PNG drawn from that markup at twice the size. Both get the theme's
 * background, which the panel shows behind the chart but the chart itself does not paint.
 */

/** The chart as standalone SVG text, on the panel's background. */
export function svgText(chart: SVGSVGElement): string {
  const copy = chart.cloneNode(true) as SVGSVGElement;
  const box = chart.viewBox.baseVal;
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  for (const [name, value] of Object.entries({ x: '0', y: '0', width: String(box.width), height: String(box.height), fill: getComputedStyle(document.body).backgroundColor })) background.setAttribute(name, value);
  copy.insertBefore(background, copy.firstChild);
  // Focus and roles only mean something in the panel.
  copy.querySelectorAll('[tabindex]').forEach((element) => element.removeAttribute('tabindex'));
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(copy)}\n`;
}

/** The chart as a PNG data: URL (2× its viewBox, for sharp text). */
export async function svgPng(chart: SVGSVGElement): Promise<string> {
  const box = chart.viewBox.baseVal;
  const image = new Image();
  await new Promise<void>((resolve, reject) => {
    image.onload = () => resolve();
    image.onerror = () => reject(new Error('The chart could not be drawn as an image.'));
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText(chart))}`;
  });
  const canvas = document.createElement('canvas');
  canvas.width = box.width * 2;
  canvas.height = box.height * 2;
  canvas.getContext('2d')!.drawImage(image, 0, 0, canvas.width, canvas.height);
  return canvas.toDataURL('image/png');
}
