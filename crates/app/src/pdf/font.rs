//! The embedded CJK font: an OpenType font from the system (Debian's `fonts-noto-cjk`), of
//! which each certificate carries only the glyphs it uses, so every reader shows it the same
//! way whether or not it has a Chinese font of its own.
//!
//! ttf-parser reads the character map and the advance widths; subsetter cuts the font down to
//! the used glyphs and numbers them from 1 in the order they were first used, which makes the
//! subset's glyph ids the CIDs the page content addresses (Identity-H). Readers get the text
//! back through the ToUnicode map, so search and copy keep working.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use subsetter::GlyphRemapper;
use ttf_parser::{Face, GlyphId, name_id};

use super::num;

/// Where Debian puts the Noto CJK fonts: the serif (Song) face first, as official documents
/// use, then the sans.
pub const DEBIAN_NOTO_CJK: [&str; 2] = [
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
];

/// Largest font file read (the Noto CJK collections are 20-27 MB).
const FONT_FILE_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// A CJK font loaded once and shared by every certificate.
#[derive(Debug)]
pub struct CjkFont {
    data: Vec<u8>,
    /// The face within a collection (`.ttc`): the Simplified Chinese one.
    index: u32,
    /// The face's PostScript name, e.g. `NotoSerifCJKsc-Regular`.
    name: String,
    path: PathBuf,
}

impl CjkFont {
    /// Loads the first of Debian's Noto CJK fonts that is installed.
    pub fn installed() -> Result<CjkFont, String> {
        let found = DEBIAN_NOTO_CJK.iter().find(|path| Path::new(path).exists());
        match found {
            Some(path) => CjkFont::load(Path::new(path)),
            None => Err(format!(
                "no CJK font at {}: install Debian's fonts-noto-cjk",
                DEBIAN_NOTO_CJK.join(" or ")
            )),
        }
    }

    /// Loads an OpenType font or collection and picks its Simplified Chinese face (the face
    /// whose family name ends in "SC", else the first that maps 社, 保 and 证).
    pub fn load(path: &Path) -> Result<CjkFont, String> {
        let shown = path.display();
        let size = std::fs::metadata(path)
            .map_err(|e| format!("cannot read {shown}: {e}"))?
            .len();
        if size > FONT_FILE_MAX_BYTES {
            return Err(format!(
                "{shown} is {size} bytes; a font file may have at most {FONT_FILE_MAX_BYTES}"
            ));
        }
        let data = std::fs::read(path).map_err(|e| format!("cannot read {shown}: {e}"))?;
        let faces = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
        let mut fallback = None;
        for index in 0..faces {
            let Ok(face) = Face::parse(&data, index) else {
                continue;
            };
            if !"社保证".chars().all(|c| face.glyph_index(c).is_some()) {
                continue;
            }
            let name = face_name(&face, name_id::POST_SCRIPT_NAME)
                .unwrap_or_else(|| format!("CJK-{index}"));
            let simplified = face_name(&face, name_id::FAMILY)
                .is_some_and(|family| family.trim_end().ends_with("SC"));
            if simplified {
                return Ok(CjkFont {
                    index,
                    name,
                    path: path.to_owned(),
                    data,
                });
            }
            fallback.get_or_insert((index, name));
        }
        match fallback {
            Some((index, name)) => Ok(CjkFont {
                index,
                name,
                path: path.to_owned(),
                data,
            }),
            None => Err(format!("{shown} has no face with Chinese characters")),
        }
    }

    /// The face's PostScript name.
    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn face_name(face: &Face<'_>, id: u16) -> Option<String> {
    face.names()
        .into_iter()
        .filter(|name| name.name_id == id && name.is_unicode())
        .find_map(|name| name.to_string())
}

/// What one document uses of the font: each used character's glyph, numbered in the subset
/// in the order of first use.
pub(crate) struct Embedding<'f> {
    font: &'f CjkFont,
    face: Face<'f>,
    units_per_em: f64,
    glyphs: RefCell<GlyphRemapper>,
    /// CID → the character it shows and its width in 1/1000 em.
    used: RefCell<BTreeMap<u16, (char, u32)>>,
}

impl<'f> Embedding<'f> {
    pub(crate) fn new(font: &'f CjkFont) -> Result<Embedding<'f>, String> {
        let face = Face::parse(&font.data, font.index)
            .map_err(|e| format!("{}: {e}", font.path.display()))?;
        Ok(Embedding {
            font,
            units_per_em: f64::from(face.units_per_em().max(1)),
            face,
            glyphs: RefCell::new(GlyphRemapper::new()),
            used: RefCell::new(BTreeMap::new()),
        })
    }

    fn glyph(&self, c: char) -> GlyphId {
        self.face.glyph_index(c).unwrap_or(GlyphId(0))
    }

    /// Advance width of `c` in 1/1000 em (a character the font lacks draws its .notdef box).
    pub(crate) fn width(&self, c: char) -> u32 {
        let advance = self.face.glyph_hor_advance(self.glyph(c)).unwrap_or(0);
        u32::try_from(self.scaled(f64::from(advance))).unwrap_or(0)
    }

    fn scaled(&self, units: f64) -> i64 {
        // Font units are at most 16 bits; scaled to 1/1000 em they stay far inside i64.
        #[allow(
            clippy::cast_possible_truncation,
            reason = "a 16-bit font value scaled to 1/1000 em"
        )]
        let value = (units * 1000.0 / self.units_per_em).round() as i64;
        value
    }

    /// The CID that shows `c` in the subset, taking the glyph into the subset on first use.
    pub(crate) fn cid(&self, c: char) -> u16 {
        let cid = self.glyphs.borrow_mut().remap(self.glyph(c).0);
        let width = self.width(c);
        self.used.borrow_mut().entry(cid).or_insert((c, width));
        cid
    }

    /// The font's objects, given their numbers: the Type 0 font, the CID font, the
    /// descriptor, the font file and the ToUnicode map, in that order.
    pub(crate) fn objects(&self, numbers: [usize; 5]) -> Result<[Vec<u8>; 5], String> {
        let glyphs = self.glyphs.borrow();
        let subset = subsetter::subset(&self.font.data, self.font.index, &glyphs)
            .map_err(|e| format!("subsetting {}: {e}", self.font.name))?;
        let used = self.used.borrow();
        // The subset's tag (six capital letters) names its glyph set, as PDF asks.
        let digest = Sha256::digest(&subset);
        let tag: String = digest
            .iter()
            .take(6)
            .map(|b| char::from(b'A' + b % 26))
            .collect();
        let base = format!("{tag}+{}", self.font.name);
        let [_, cid_font, descriptor, file, unicode] = numbers;
        let widths: String = used
            .iter()
            .map(|(cid, (_, width))| format!("{cid} [{width}]"))
            .collect::<Vec<_>>()
            .join(" ");
        let bbox = self.face.global_bounding_box();
        let ascent = self.scaled(f64::from(self.face.ascender()));
        let descent = self.scaled(f64::from(self.face.descender()));
        let cap = self.scaled(f64::from(
            self.face.capital_height().unwrap_or(self.face.ascender()),
        ));
        let bbox: Vec<String> = [bbox.x_min, bbox.y_min, bbox.x_max, bbox.y_max]
            .iter()
            .map(|v| self.scaled(f64::from(*v)).to_string())
            .collect();
        let mut file_object = format!(
            "<< /Subtype /OpenType /Length {} >>\nstream\n",
            subset.len()
        )
        .into_bytes();
        file_object.extend_from_slice(&subset);
        file_object.extend_from_slice(b"\nendstream");
        let cmap = to_unicode(&used);
        let mut cmap_object = format!("<< /Length {} >>\nstream\n", cmap.len()).into_bytes();
        cmap_object.extend_from_slice(cmap.as_bytes());
        cmap_object.extend_from_slice(b"\nendstream");
        Ok([
            format!(
                "<< /Type /Font /Subtype /Type0 /BaseFont /{base} /Encoding /Identity-H \
                 /DescendantFonts [{cid_font} 0 R] /ToUnicode {unicode} 0 R >>"
            )
            .into_bytes(),
            format!(
                "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /{base} \
                 /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> \
                 /FontDescriptor {descriptor} 0 R /DW 1000 /W [{widths}] >>"
            )
            .into_bytes(),
            format!(
                "<< /Type /FontDescriptor /FontName /{base} /Flags 4 /FontBBox [{}] \
                 /ItalicAngle 0 /Ascent {ascent} /Descent {descent} /CapHeight {cap} \
                 /StemV {} /FontFile3 {file} 0 R >>",
                bbox.join(" "),
                num(80.0)
            )
            .into_bytes(),
            file_object,
            cmap_object,
        ])
    }
}

/// The ToUnicode CMap: each CID back to its character (UTF-16BE), at most 100 a block.
fn to_unicode(used: &BTreeMap<u16, (char, u32)>) -> String {
    let mut cmap = String::from(
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n\
         /CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n\
         /CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n\
         1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
    );
    let pairs: Vec<(&u16, &(char, u32))> = used.iter().collect();
    for block in pairs.chunks(100) {
        cmap.push_str(&format!("{} beginbfchar\n", block.len()));
        for (cid, (c, _)) in block {
            let text: String = c
                .encode_utf16(&mut [0; 2])
                .iter()
                .map(|unit| format!("{unit:04X}"))
                .collect();
            cmap.push_str(&format!("<{cid:04X}> <{text}>\n"));
        }
        cmap.push_str("endbfchar\n");
    }
    cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend");
    cmap
}
