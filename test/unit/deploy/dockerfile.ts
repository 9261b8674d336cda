/** A Dockerfile as data: stages and their instructions (continuations joined, comments dropped). */
export type Instruction = { op: string; args: string; line: number };
export type Stage = { name: string; from: string; instructions: Instruction[] };

export function parseDockerfile(text: string): { args: Instruction[]; stages: Stage[] } {
  const lines = text.split('\n');
  const instructions: Instruction[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (line.endsWith('\\') && i + 1 < lines.length) line = `${line.slice(0, -1)} ${lines[++i]!.trim()}`;
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!match) throw new Error(`Dockerfile line ${start + 1}: cannot parse "${line}"`);
    instructions.push({ op: match[1]!.toUpperCase(), args: match[2]!.trim(), line: start + 1 });
  }
  const args: Instruction[] = [];
  const stages: Stage[] = [];
  for (const instruction of instructions) {
    if (instruction.op === 'FROM') {
      const [from, as, name] = instruction.args.split(/\s+/);
      if (!from || as?.toUpperCase() !== 'AS' || !name)
        throw new Error(`line ${instruction.line}: every stage needs a name`);
      stages.push({ name, from, instructions: [] });
    } else if (stages.length === 0) {
      if (instruction.op !== 'ARG')
        throw new Error(`line ${instruction.line}: ${instruction.op} before the first FROM`);
      args.push(instruction);
    } else stages.at(-1)!.instructions.push(instruction);
  }
  return { args, stages };
}

/** A stage and every stage it is built FROM, nearest first. */
export function lineage(stages: Stage[], name: string): Stage[] {
  const chain: Stage[] = [];
  for (let stage = stages.find((s) => s.name === name); stage; stage = stages.find((s) => s.name === stage!.from))
    chain.push(stage);
  return chain;
}
