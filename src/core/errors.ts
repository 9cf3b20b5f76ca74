// The one way any layer turns a thrown value into the text a user reads. Cluster failures are ClusterErrors
// (cluster/errors.ts), whose messages already name the object, context and user; this keeps them unchanged.
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
