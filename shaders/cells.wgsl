// Helpers of the modules that bind the cell fields (prepended by the engine where a module's binding table,
// src/engine/bindings.ts, includes "cells"). dc: Zn2+ as its deviation from the reservoir, c / c0 - 1.

/** The concentration c / c0 of cell k. */
fn conc(k: u32) -> f32 { return 1.0 + dc[k]; }
