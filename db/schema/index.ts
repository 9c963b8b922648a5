export * from "./appointments";
export * from "./cases";
export * from "./centres";
export * from "./eoi";
export * from "./ops";
export * from "./people";
export * from "./returns";
export * from "./windows";
