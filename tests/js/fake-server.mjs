// An in-memory stand-in for the server's text log, committing as DraftingService does: an operation
// made on an older revision goes first in every transform against what was committed since, and a
// repeated client op id is acknowledged again without being applied twice.
import { TextOperation } from '../../wwwroot/js/ot.js';

export class FakeTextServer {
  constructor(text = '') {
    this.text = text;
    /** @type {{revision: number, operation: unknown[], clientOpId: string, author: string}[]} */
    this.log = [];
  }

  get revision() { return this.log.length; }

  /** @returns {{revision: number, operation: unknown[], clientOpId: string, author: string}} the committed edit (the event) */
  submit({ baseRevision, clientOpId, operation }, author = 'someone') {
    const earlier = this.log.find((e) => e.clientOpId === clientOpId);
    if (earlier) return { ...earlier, duplicate: true };
    let op = TextOperation.fromJSON(operation);
    for (const committed of this.log.slice(baseRevision)) {
      [op] = TextOperation.transform(op, TextOperation.fromJSON(committed.operation));
    }
    this.text = op.apply(this.text);
    const edit = { revision: this.log.length + 1, operation: op.toJSON(), clientOpId, author };
    this.log.push(edit);
    return edit;
  }

  since(revision) {
    return this.log.slice(revision);
  }
}
