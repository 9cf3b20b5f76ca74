// What every SOPS store offers: load a document into value trees (one per YAML document), and emit it again,
// with the `sops` metadata block (encrypted form) or without (plaintext form).
import { TreeMap } from '../tree';

export type SopsFormat = 'yaml' | 'json' | 'dotenv' | 'ini' | 'binary';

export type RawMetadata = Record<string, unknown>;

export interface LoadedDocument {
  /** The data, without the metadata; leaves are mutated in place by encryption and decryption. */
  branches: TreeMap[];
  /** The `sops` block as found in an encrypted file. */
  metadata?: RawMetadata;
  /** The document text: encrypted form when metadata is given, plaintext form otherwise. */
  emit(metadata?: RawMetadata): string;
}

export interface Store {
  /** `encrypted`: the text is a sops file (metadata is split off); `plain`: a plaintext document. */
  load(text: string, file: string, form: 'plain' | 'encrypted'): LoadedDocument;
}

export class StoreError extends Error {}
