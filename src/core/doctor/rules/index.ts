// Every doctor rule, in the order `driftline doctor --rules` lists them.
import { argoManualSync } from './argoManualSync';
import { dependsOnMissing } from './dependsOnMissing';
import { missingProbes } from './missingProbes';
import { noHealthChecks } from './noHealthChecks';
import { plaintextSecret } from './plaintextSecret';
import { pruneOffExtra } from './pruneOffExtra';
import { renderFailure } from './renderFailure';
import { repoProblems } from './repoProblems';
import { sourceRefMissing } from './sourceRefMissing';
import { unpinnedChart } from './unpinnedChart';
import { unpinnedImage } from './unpinnedImage';
import type { DoctorRule } from '../rule';

export const DOCTOR_RULES: readonly DoctorRule[] = [
  repoProblems, renderFailure, plaintextSecret, sourceRefMissing, dependsOnMissing, pruneOffExtra, noHealthChecks, missingProbes, unpinnedImage, unpinnedChart, argoManualSync,
];
