//! Cards: card life, PINs, bank activation, the e-card.
//! Its operations are still rows of [`super::legacy::TABLE`] until they move here.

use super::Entry;

pub(crate) const OPERATIONS: &[Entry] = &[];
