// CPU time of processes, from /proc (Linux): a cost per request that other work on the machine
// blurs less than it does throughput.
import { readFileSync } from "node:fs";

/** utime + stime of one process, in ms (clock ticks of 10 ms); 0 if it has ended. */
export function processCpuMs(pid: number): number {
  try {
    // Fields 14 and 15 (utime, stime), after the command's parentheses.
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0; // ended while being read
  }
}

/** The same for a process and its children (a cluster's web processes). */
export function processTreeCpuMs(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
  return [pid, ...(children ? children.split(" ").map(Number) : [])].reduce(
    (sum, p) => sum + processCpuMs(p),
    0,
  );
}
