import type { SafeStorage } from 'electron';

/** Seals passwords with the OS keychain, or says why it cannot. */
export interface PasswordSealer {
  /** `null` when passwords can be sealed safely; otherwise the reason, for the user. */
  whyNotSealable(): Promise<string | null>;
  /** The password encrypted, base64 (what `passwordEncrypted` holds). */
  seal(password: string): Promise<string>;
  /** `shouldReseal`: the keychain rotated its key; seal the password again and save it. */
  open(sealed: string): Promise<{ password: string; shouldReseal: boolean }>;
}

/**
 * safeStorage's async API (the sync one is deprecated in Electron 45's typings). On Linux
 * without a keyring the backend is `basic_text`, whose "encryption" uses a fixed key: that is
 * clear text in disguise, so it counts as not sealable (security checklist 6).
 */
export function createSafeStorageSealer(safeStorage: SafeStorage, platform: NodeJS.Platform): PasswordSealer {
  return {
    async whyNotSealable() {
      if (!(await safeStorage.isAsyncEncryptionAvailable())) {
        return 'the OS keychain is not available to task-status';
      }
      if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
        return 'no keyring was found (safeStorage backend basic_text would keep it readable); '
          + 'install and unlock GNOME Keyring or KWallet, or start with --password-store=gnome-libsecret';
      }
      return null;
    },
    async seal(password) {
      return (await safeStorage.encryptStringAsync(password)).toString('base64');
    },
    async open(sealed) {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(Buffer.from(sealed, 'base64'));
      return { password: result, shouldReseal: shouldReEncrypt };
    },
  };
}
