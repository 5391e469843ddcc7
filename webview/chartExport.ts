/**
 * Turns a chart on screen into a standalone file. The on-screen SVG gets its colours from CSS
 * variables that exist only inside VS Code, so the copy carries the computed colours as
 * attributes (the current theme, as the user sees it); PNG is that SVG drawn on a canvas.
 */
const PAINT_PROPERTIES = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-dasharray', 'stroke-opacity', 'opacity', 'font-family', 'font-size', 'visibility'] as const;

export function standaloneSvg(chart: SVGSVGElement): string {
  const copy = chart.cloneNode(true) as SVGSVGElement;
  const originals = [chart, ...Array.from(chart.querySelectorAll('*'))];
  const copies = [copy, ...Array.from(copy.querySelectorAll('*'))];
  originals.forEach((original, i) => {
    const computed = getComputedStyle(original);
    for (const property of PAINT_PROPERTIES) copies[i].setAttribute(property, computed.getPropertyValue(property));
    copies[i].removeAttribute('class');
    copies[i].removeAttribute('tabindex');
  });
  copy.querySelectorAll('.tooltip, [visibility="hidden"]').forEach((n) => n.remove());
  const [, , width, height] = (chart.getAttribute('viewBox') ?? '0 0 800 400').split(' ');
  copy.setAttribute('width', width);
  copy.setAttribute('height', height);
  const background = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  for (const [name, value] of Object.entries({ x: '0', y: '0', width, height, fill: getComputedStyle(document.body).backgroundColor })) background.setAttribute(name, value);
  copy.insertBefore(background, copy.firstChild);
  return new XMLSerializer().serializeToString(copy);
}

/** A PNG data: URL of the chart at twice its size (CSP allows data: images, so no blob: is needed). */
export async function pngDataUrl(chart: SVGSVGElement): Promise<string> {
  const text = standaloneSvg(chart);
  const image = new Image();
  const loaded = new Promise<void>((resolve, reject) => {
    image.onload = () => resolve();
    image.onerror = () => reject(new Error('The chart could not be drawn as an image.'));
  });
  const bytes = new TextEncoder().encode(text);
  image.src = `data:image/svg+xml;base64,${btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''))}`;
  await loaded;
  const canvas = document.createElement('canvas');
  canvas.width = image.width * 2;
  canvas.height = image.height * 2;
  const context = canvas.getContext('2d')!;
  context.scale(2, 2);
  context.drawImage(image, 0, 0);
  return canvas.toDataURL('image/png');
}
