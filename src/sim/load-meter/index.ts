/** The load meter and CPU model, processor memory, the console log, the cost table and the CCF. */

export {
  CpuModel,
  type CpuModelOptions,
  type CpuPeriod,
  type ProcessSpec,
  type ProcessPriority,
  type Averaging,
  ROUTER_PROCESSES,
  decayFactor,
} from "./cpu.js";
export { MemoryPool, type MemoryPoolOptions, mallocFailMessage } from "./memory.js";
export { ConsoleLog, type ConsoleLogOptions } from "./console.js";
export { COSTS, ENTRY_BYTES, HOST_TO_R5000 } from "./costs.js";
export { crossCorrelation, yuleWalker, type Ccf, type CcfOptions } from "./ccf.js";
