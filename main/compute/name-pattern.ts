// Nova filters server lists by name with a regular expression. User patterns never reach a
// backtracking engine here: they compile to an NFA that is simulated in time linear in the name
// (Thompson/Pike), so no pattern can stall the control plane.
import { badRequest } from '../core/errors';

type Pred = (c: string) => boolean;
type Inst = { op: 'char'; pred: Pred } | { op: 'split'; x: number; y: number } | { op: 'jmp'; x: number } | { op: 'bol' } | { op: 'eol' } | { op: 'match' };
type Node =
  | { t: 'char'; pred: Pred }
  | { t: 'bol' }
  | { t: 'eol' }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; options: Node[] }
  | { t: 'rep'; node: Node; min: number; max: number };

const MAX_PROGRAM = 5000;
const MAX_REPEAT = 100;

const unsupported = (what: string) =>
  badRequest(`Invalid name filter: ${what} is not supported (DeskStack matches names with regular expressions without backreferences or lookaround).`);

const CLASSES: Record<string, Pred> = {
  d: (c) => c >= '0' && c <= '9',
  w: (c) => /[A-Za-z0-9_]/.test(c),
  s: (c) => /\s/.test(c),
};

/** A class escape (\d \w \s and negations) or an escaped literal. */
function escapePred(e: string): Pred {
  const lower = e.toLowerCase();
  if (CLASSES[lower]) return e === lower ? CLASSES[lower] : (c) => !CLASSES[lower](c);
  if (/[0-9]/.test(e)) throw unsupported('a backreference');
  if (/[A-Za-z]/.test(e)) {
    const literal: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v' };
    if (literal[e]) return (c) => c === literal[e];
    throw unsupported(`the escape \\${e}`);
  }
  return (c) => c === e;
}

class Parser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Node {
    const n = this.alt();
    if (this.i < this.src.length) throw unsupported(`an unmatched '${this.src[this.i]}'`);
    return n;
  }

  private peek(): string | undefined {
    return this.src[this.i];
  }

  private alt(): Node {
    const options = [this.seq()];
    while (this.peek() === '|') {
      this.i++;
      options.push(this.seq());
    }
    return options.length === 1 ? options[0] : { t: 'alt', options };
  }

  private seq(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.peek() !== '|' && this.peek() !== ')') items.push(this.quantified(this.atom()));
    return { t: 'seq', items };
  }

  private quantified(node: Node): Node {
    for (;;) {
      const c = this.peek();
      let min: number;
      let max: number;
      if (c === '*') [min, max] = [0, Infinity];
      else if (c === '+') [min, max] = [1, Infinity];
      else if (c === '?') [min, max] = [0, 1];
      else if (c === '{' && /^\{\d+(,\d*)?\}/.test(this.src.slice(this.i))) {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i))!;
        min = Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
        if (min > MAX_REPEAT || (max !== Infinity && max > MAX_REPEAT) || max < min) throw unsupported(`the repeat ${m[0]}`);
        this.i += m[0].length - 1;
      } else return node;
      this.i++;
      if (this.peek() === '?') this.i++; // lazy and greedy match the same names
      node = { t: 'rep', node, min, max };
    }
  }

  private atom(): Node {
    const c = this.src[this.i++];
    if (c === '(') {
      if (this.src.startsWith('?:', this.i)) this.i += 2;
      else if (this.src.startsWith('?P<', this.i)) this.i = this.src.indexOf('>', this.i) + 1 || this.src.length;
      else if (this.peek() === '?') throw unsupported('lookaround');
      const inner = this.alt();
      if (this.src[this.i++] !== ')') throw unsupported("an unclosed '('");
      return inner;
    }
    if (c === '[') return { t: 'char', pred: this.charClass() };
    if (c === '.') return { t: 'char', pred: (x) => x !== '\n' };
    if (c === '^') return { t: 'bol' };
    if (c === '$') return { t: 'eol' };
    if (c === '\\') {
      if (this.i >= this.src.length) throw unsupported('a trailing backslash');
      return { t: 'char', pred: escapePred(this.src[this.i++]) };
    }
    if (c === '*' || c === '+' || c === '?') throw unsupported(`a quantifier '${c}' with nothing to repeat`);
    return { t: 'char', pred: (x) => x === c };
  }

  private charClass(): Pred {
    const negate = this.peek() === '^';
    if (negate) this.i++;
    const parts: Pred[] = [];
    let first = true;
    while (this.i < this.src.length && (this.peek() !== ']' || first)) {
      first = false;
      let lo = this.src[this.i++];
      if (lo === '\\') {
        const e = this.src[this.i++] ?? '';
        if (CLASSES[e.toLowerCase()]) {
          parts.push(escapePred(e));
          continue;
        }
        lo = e;
      }
      if (this.peek() === '-' && this.src[this.i + 1] !== undefined && this.src[this.i + 1] !== ']') {
        this.i++;
        let hi = this.src[this.i++];
        if (hi === '\\') hi = this.src[this.i++] ?? '';
        const [a, b] = [lo, hi];
        parts.push((x) => x >= a && x <= b);
      } else parts.push((x) => x === lo);
    }
    if (this.src[this.i++] !== ']') throw unsupported("an unclosed '['");
    return negate ? (x) => !parts.some((p) => p(x)) : (x) => parts.some((p) => p(x));
  }
}

function compile(node: Node, prog: Inst[]): void {
  if (prog.length > MAX_PROGRAM) throw unsupported('a pattern this large');
  switch (node.t) {
    case 'char':
      prog.push({ op: 'char', pred: node.pred });
      return;
    case 'bol':
    case 'eol':
      prog.push({ op: node.t });
      return;
    case 'seq':
      for (const n of node.items) compile(n, prog);
      return;
    case 'alt': {
      const jumps: number[] = [];
      node.options.forEach((opt, k) => {
        if (k < node.options.length - 1) {
          const split = prog.push({ op: 'split', x: prog.length + 1, y: -1 }) - 1;
          compile(opt, prog);
          jumps.push(prog.push({ op: 'jmp', x: -1 }) - 1);
          (prog[split] as { y: number }).y = prog.length;
        } else compile(opt, prog);
      });
      for (const j of jumps) (prog[j] as { x: number }).x = prog.length;
      return;
    }
    case 'rep': {
      for (let k = 0; k < node.min; k++) compile(node.node, prog);
      if (node.max === Infinity) {
        const split = prog.push({ op: 'split', x: prog.length + 1, y: -1 }) - 1;
        compile(node.node, prog);
        prog.push({ op: 'jmp', x: split });
        (prog[split] as { y: number }).y = prog.length;
        return;
      }
      const exits: number[] = [];
      for (let k = node.min; k < node.max; k++) {
        exits.push(prog.push({ op: 'split', x: prog.length + 1, y: -1 }) - 1);
        compile(node.node, prog);
      }
      for (const e of exits) (prog[e] as { y: number }).y = prog.length;
      return;
    }
  }
}

/** A compiled pattern: `test` says whether the pattern occurs anywhere in the text (Python's re.search). */
export interface NamePattern {
  test(text: string): boolean;
}

export function compileNamePattern(pattern: string): NamePattern {
  const prog: Inst[] = [];
  compile(new Parser(pattern).parse(), prog);
  prog.push({ op: 'match' });
  return {
    test(text: string): boolean {
      const chars = [...text];
      let current = new Set<number>();
      const add = (set: Set<number>, pc: number, at: number): boolean => {
        if (set.has(pc)) return false;
        set.add(pc);
        const inst = prog[pc];
        if (inst.op === 'match') return true;
        if (inst.op === 'jmp') return add(set, inst.x, at);
        if (inst.op === 'split') return add(set, inst.x, at) || add(set, inst.y, at);
        if (inst.op === 'bol') return at === 0 && add(set, pc + 1, at);
        if (inst.op === 'eol') return at === chars.length && add(set, pc + 1, at);
        return false;
      };
      for (let at = 0; at <= chars.length; at++) {
        // Search: a new attempt may start at every position.
        if (add(current, 0, at)) return true;
        if (at === chars.length) break;
        const next = new Set<number>();
        for (const pc of current) {
          const inst = prog[pc];
          if (inst.op === 'char' && inst.pred(chars[at]) && add(next, pc + 1, at + 1)) return true;
        }
        current = next;
      }
      return false;
    },
  };
}
