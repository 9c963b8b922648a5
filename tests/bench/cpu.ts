// CPU time of processes, from /proc (Linux): a cost per request that other work on the machine
// blurs less than it does throughput.
import { readdirSync, readFileSync } from "node:fs";

/** Fields of /proc/<pid>/stat after the command's parentheses (field 3 first); [] if it has ended. */
function statFields(pid: number | string): string[] {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  } catch {
    return []; // ended while being read
  }
}

/** utime + stime of one process, in ms (clock ticks of 10 ms); 0 if it has ended. */
export function processCpuMs(pid: number): number {
  const fields = statFields(pid); // fields 14 and 15
  return fields.length ? (Number(fields[11]) + Number(fields[12])) * 10 : 0;
}

/**
 * CPU time used so far by PostgreSQL on this machine, in ms: its live processes, and those that
 * have ended (a closed connection's backend), which the postmaster counts once it has reaped them
 * (cutime + cstime). Never goes down, however connections come and go during a run.
 */
export function postgresCpuMs(): number {
  const processes = readdirSync("/proc")
    .filter((pid) => /^\d+$/.test(pid))
    .map((pid) => ({ pid: Number(pid), comm: readComm(pid), fields: statFields(pid) }))
    .filter((p) => p.comm === "postgres" && p.fields.length);
  const pids = new Set(processes.map((p) => p.pid));
  let sum = 0;
  for (const { fields } of processes) {
    sum += (Number(fields[11]) + Number(fields[12])) * 10;
    // The postmaster (its parent is not PostgreSQL): add its reaped children (fields 16 and 17).
    if (!pids.has(Number(fields[1]))) sum += (Number(fields[13]) + Number(fields[14])) * 10;
  }
  return sum;
}

function readComm(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, "utf8").trim();
  } catch {
    return "";
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
