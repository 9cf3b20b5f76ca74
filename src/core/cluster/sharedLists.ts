// LIST results shared by the comparisons of one operation: a branch preview compares the head and the base with
// the same cluster moments apart, so each kind and namespace is listed once per context and both sides are
// compared with the same live objects (a change landing between two LISTs cannot show as a difference of sides).
import type { ListOutcome } from './liveSnapshot';

export class SharedLists {
  private readonly byContext = new Map<string, Map<string, Promise<ListOutcome>>>();

  /** The LISTs of one kube context, by listKeyId: LiveSnapshot.read takes what is there and adds what it lists. */
  of(context: string): Map<string, Promise<ListOutcome>> {
    let lists = this.byContext.get(context);
    if (!lists) {
      lists = new Map();
      this.byContext.set(context, lists);
    }
    return lists;
  }
}
