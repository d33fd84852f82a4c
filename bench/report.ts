/** Prints one benchmark figure per line: `<group>.<figure>: <value> <unit>`. */
export function figure(group: string, name: string, value: number, unit: string, digits = 1): void {
  console.log(`${group}.${name}: ${value.toFixed(digits)} ${unit}`);
}
