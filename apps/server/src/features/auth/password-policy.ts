/**
 * Password rules beyond length: a realistic strength estimate (zxcvbn-ts with its common-password and
 * English dictionaries, plus the user's own email and username) must reach score 3 of 4.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

const zxcvbn = new ZxcvbnFactory({
  dictionary: { ...common.dictionary, ...en.dictionary },
  graphs: common.adjacencyGraphs,
  translations: en.translations,
});

/** Returns a message saying what is wrong, or undefined when the password is acceptable. */
export function passwordWeakness(password: string, userInputs: string[] = []): string | undefined {
  const inputs = userInputs.flatMap((s) => [s, ...s.split(/[@._-]/)]).filter((s) => s.length >= 3);
  const result = zxcvbn.check(password.slice(0, 128), inputs);
  if (result.score >= 3) return undefined;
  const hint = result.feedback.warning ?? result.feedback.suggestions[0];
  return `This password is too common or easy to guess${hint ? ` (${hint.replace(/\.$/, '')})` : ''}. Try a longer passphrase of unrelated words.`;
}
