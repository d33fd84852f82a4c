/**
 * Dispatches a real drop of files onto an element: the files are read from disk by Chromium
 * (through a scratch file input), put in a DataTransfer, and dropped with dragenter/dragover/drop.
 */
import type { Locator, Page } from '@playwright/test';

export async function dropFiles(page: Page, target: Locator, paths: readonly string[]): Promise<void> {
  await page.evaluate(() => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.id = '__e2e-drop-source';
    input.style.display = 'none';
    document.body.append(input);
  });
  await page.setInputFiles('#__e2e-drop-source', [...paths]);
  const transfer = await page.evaluateHandle(() => {
    const input = document.getElementById('__e2e-drop-source') as HTMLInputElement;
    const dataTransfer = new DataTransfer();
    for (const file of Array.from(input.files ?? [])) dataTransfer.items.add(file);
    input.remove();
    return dataTransfer;
  });
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await target.dispatchEvent(type, { dataTransfer: transfer });
  }
}
