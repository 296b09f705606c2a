//! Medical settlement (filled in below).
