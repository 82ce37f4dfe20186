// A provider that answers from a fixed table, so the run needs no network.
class Canned {
  constructor(options) { this.providerId = options.id || 'canned'; this.config = options.config; }
  id() { return this.providerId; }
  async callApi(prompt, context) {
    const n = Number(context.vars.n);
    if ((this.config.errors || []).includes(n)) return { error: 'upstream timeout' };
    const right = (this.config.right || []).includes(n);
    return { output: right ? String(context.vars.expected) : 'unknown' };
  }
}
module.exports = Canned;
