/** Page objects for landing, register and sign-in. */
import type { Page } from 'playwright-core';

export class RegisterPage {
  constructor(private readonly page: Page) {}
  async open(redirect?: string) {
    await this.page.goto(redirect ? `/register?redirect=${encodeURIComponent(redirect)}` : '/register');
    await this.page.getByRole('heading', { name: 'Create your account' }).waitFor();
  }
  async fill(user: { email: string; username: string; password: string }) {
    await this.page.getByLabel('Email').fill(user.email);
    await this.page.getByLabel('Username').fill(user.username);
    await this.page.getByLabel('Password', { exact: true }).fill(user.password);
  }
  async submit() {
    await this.page.getByRole('button', { name: 'Create account' }).click();
  }
  async register(user: { email: string; username: string; password: string }) {
    await this.fill(user);
    await this.submit();
  }
}

export class SignInPage {
  constructor(private readonly page: Page) {}
  async open(redirect?: string) {
    await this.page.goto(redirect ? `/sign-in?redirect=${encodeURIComponent(redirect)}` : '/sign-in');
    await this.page.getByRole('heading', { name: 'Sign in' }).waitFor();
  }
  async signIn(email: string, password: string) {
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }
  async enterTotp(code: string) {
    await this.page.getByLabel('Authentication code').fill(code);
    await this.page.getByRole('button', { name: 'Verify and sign in' }).click();
  }
}
