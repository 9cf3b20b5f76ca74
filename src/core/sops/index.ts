// Public API of the native SOPS implementation (SOPS v3 file format, compatible with the sops CLI).
export { decryptFile, decryptText, isSopsEncrypted } from './decrypt';
export type { DecryptResult } from './decrypt';
export { encryptText, keyGroupFor } from './encrypt';
export type { EncryptOptions } from './encrypt';
export { reencryptEdited } from './edit';
export { updateKeys } from './updateKeys';
export type { UpdateKeysResult } from './updateKeys';
export { findCreationRule, findConfigFile, loadCreationRules } from './rules';
export type { CreationRule } from './rules';
export { formatForPath } from './stores';
export type { SopsFormat } from './stores/store';
export { decryptManifestIfSops } from './manifest';
export { writeFileAtomic } from './files';
export { SopsError } from './errors';
export type { SopsErrorCode } from './errors';
export type { SopsOptions } from './options';
export type { SopsMetadata, MasterKey, CryptRules } from './metadata';
