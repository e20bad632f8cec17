/** Page object for the account screen. */
import type { Download, Page } from 'playwright-core';

export class AccountPage {
  constructor(private readonly page: Page) {}
  async open() {
    await this.page.goto('/account');
    await this.page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
  }
  async exportData(): Promise<Download> {
    const [download] = await Promise.all([
      this.page.waitForEvent('download'),
      this.page.getByRole('button', { name: 'Download my data' }).click(),
    ]);
    return download;
  }
  async deleteAccount(username: string) {
    await this.page.getByRole('button', { name: 'Delete my account…' }).click();
    const dialog = this.page.getByRole('alertdialog');
    await dialog.getByLabel('Username').fill(username);
    await dialog.getByRole('button', { name: 'Delete my account' }).click();
  }
}
