/** Page objects for my groups, create group, the group page and its members page. */
import type { Locator, Page } from 'playwright-core';
import { Seed } from '../api-seed.ts';

export class GroupsPage {
  constructor(private readonly page: Page) {}
  async waitFor() {
    await this.page.getByRole('heading', { name: 'My groups', level: 1 }).waitFor();
  }
  async createGroup(name: string, description = '') {
    await this.page.goto('/groups/new');
    await this.page.getByLabel('Group name').fill(name);
    if (description) await this.page.getByLabel('Description (optional)').fill(description);
    await this.page.getByRole('button', { name: 'Create group' }).click();
    await this.page.getByRole('heading', { level: 1, name }).waitFor();
    const id = this.page.url().split('/groups/')[1]!.split('?')[0]!;
    // Tonight's night open until 23:59, whatever the hour the spec runs at (see Seed.keepNightOpen).
    await new Seed(this.page.context(), new URL(this.page.url()).origin).keepNightOpen(id);
    return id;
  }
}

export class GroupPage {
  constructor(private readonly page: Page) {}
  async open(groupId: string, day?: string) {
    await this.page.goto(`/groups/${groupId}${day ? `?day=${day}` : ''}`);
    if (day) await this.page.locator('#day-title').waitFor();
    else await this.page.getByRole('heading', { level: 2, name: 'Tonight', exact: true }).waitFor();
  }
  async waitForNight() {
    await this.page.getByTestId('tonight').waitFor();
  }
  dayField(): Locator {
    return this.page.getByLabel('Day', { exact: true });
  }
  rsvpButton(status: 'in' | 'maybe' | 'out'): Locator {
    return this.page.getByTestId(`rsvp-${status}`);
  }
  winner(): Locator {
    return this.page.getByTestId('winner-name');
  }
  nightAnnouncer(): Locator {
    return this.page.getByTestId('night-announcer');
  }
  /** Opens the admin disclosure of the night and confirms "Close voting now". */
  async closeNight() {
    const admin = this.page.getByTestId('night-admin');
    if (!(await admin.evaluate((el) => (el as HTMLDetailsElement).open))) await admin.locator('summary').click();
    await this.page.getByRole('button', { name: 'Close voting now…' }).click();
    const dialog = this.page.getByRole('alertdialog');
    await dialog.getByRole('button', { name: 'Close voting' }).click();
    await dialog.waitFor({ state: 'hidden' });
  }
  suggestions(): Locator {
    return this.page.getByTestId('suggestion');
  }
  suggestion(gameName: string): Locator {
    return this.suggestions().filter({ has: this.page.getByRole('heading', { name: gameName, exact: true }) });
  }
  async suggest(gameName: string) {
    await this.page.getByLabel('Suggest a game').fill(gameName);
    await this.page.getByRole('button', { name: 'Suggest', exact: true }).click();
  }
  approveButton(gameName: string): Locator {
    return this.page.getByRole('button', { name: `Approve ${gameName}`, exact: true });
  }
  takeBackButton(gameName: string): Locator {
    return this.page.getByRole('button', { name: `Approved — take back approval of ${gameName}`, exact: true });
  }
  async tally(gameName: string): Promise<number> {
    return Number(await this.suggestion(gameName).getByTestId('tally-count').textContent());
  }
  async gameOrder(): Promise<string[]> {
    return this.page.getByTestId('game-name').allTextContents();
  }
  banner(): Locator {
    return this.page.getByTestId('results-banner');
  }
  async openMembers() {
    await this.page.getByRole('link', { name: 'Members', exact: true }).click();
    await this.page.getByRole('heading', { level: 1, name: /^Members of/ }).waitFor();
  }
  async openInvites() {
    await this.page.getByRole('link', { name: 'Invites', exact: true }).click();
    await this.page.getByRole('heading', { level: 1, name: /^Invites to/ }).waitFor();
  }
  async openSettings() {
    await this.page.getByRole('link', { name: 'Settings', exact: true }).click();
    await this.page.getByRole('heading', { level: 1, name: /^Settings of/ }).waitFor();
  }
}

export class MembersPage {
  constructor(private readonly page: Page) {}
  members(): Locator {
    return this.page.getByTestId('member');
  }
  async createInvite(): Promise<string> {
    await this.page.getByRole('button', { name: 'Create link', exact: true }).click();
    const url = this.page.getByTestId('invite-url').first();
    await url.waitFor();
    return (await url.textContent())!.trim();
  }
  async confirm(buttonName: string) {
    const dialog = this.page.getByRole('alertdialog');
    await dialog.getByRole('button', { name: buttonName }).click();
    await dialog.waitFor({ state: 'hidden' });
  }
  async removeMember(username: string) {
    await this.page.getByRole('button', { name: `Remove ${username}`, exact: true }).click();
    await this.confirm('Remove member');
  }
}
