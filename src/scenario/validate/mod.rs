//! The scenario validator, one file per section of the file (the `Validator` type, its shared
//! helpers and the raw types are in `scenario/mod.rs`).

mod arms;
mod behaviour;
mod experiment;
mod horizon;
mod population;
mod selection;
mod shocks;
mod uncertainty;
