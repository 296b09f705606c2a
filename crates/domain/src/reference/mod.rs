//! Reference data the rules read: the region and the parameters it fixes.

pub mod region;
