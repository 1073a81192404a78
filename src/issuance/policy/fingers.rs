//! Fingers and hands as the enrolment record describes them: the ten finger position codes of
//! ISO/IEC 19794-4 table 2 (1 right thumb .. 10 left little finger), each finger's condition,
//! and which hands the person has.

use serde::{Deserialize, Serialize};

/// A hand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hand {
    /// The right hand (finger positions 1 to 5).
    Right,
    /// The left hand (finger positions 6 to 10).
    Left,
}

impl Hand {
    /// The other hand.
    pub fn other(self) -> Hand {
        match self {
            Hand::Right => Hand::Left,
            Hand::Left => Hand::Right,
        }
    }

    /// "right", "left".
    pub fn name(self) -> &'static str {
        match self {
            Hand::Right => "right",
            Hand::Left => "left",
        }
    }
}

/// A finger by its ISO/IEC 19794-4 finger position code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u8)]
pub enum FingerPosition {
    /// 1.
    RightThumb = 1,
    /// 2.
    RightIndex = 2,
    /// 3.
    RightMiddle = 3,
    /// 4.
    RightRing = 4,
    /// 5.
    RightLittle = 5,
    /// 6.
    LeftThumb = 6,
    /// 7.
    LeftIndex = 7,
    /// 8.
    LeftMiddle = 8,
    /// 9.
    LeftRing = 9,
    /// 10.
    LeftLittle = 10,
}

use FingerPosition::*;

/// The fingers of one hand, from the thumb to the little finger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Digit {
    /// Thumb.
    Thumb,
    /// Index finger.
    Index,
    /// Middle finger.
    Middle,
    /// Ring finger.
    Ring,
    /// Little finger.
    Little,
}

impl FingerPosition {
    /// The ten fingers in position-code order.
    pub const ALL: [FingerPosition; 10] = [
        RightThumb,
        RightIndex,
        RightMiddle,
        RightRing,
        RightLittle,
        LeftThumb,
        LeftIndex,
        LeftMiddle,
        LeftRing,
        LeftLittle,
    ];

    /// The finger `digit` of `hand`.
    pub fn of(hand: Hand, digit: Digit) -> FingerPosition {
        let offset = match digit {
            Digit::Thumb => 0,
            Digit::Index => 1,
            Digit::Middle => 2,
            Digit::Ring => 3,
            Digit::Little => 4,
        };
        let base = match hand {
            Hand::Right => 0,
            Hand::Left => 5,
        };
        Self::ALL[base + offset]
    }

    /// The ISO/IEC 19794-4 finger position code.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The finger with position code `code` (1 to 10).
    pub fn from_code(code: u8) -> Option<FingerPosition> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    /// The hand the finger belongs to.
    pub fn hand(self) -> Hand {
        if self.code() <= 5 {
            Hand::Right
        } else {
            Hand::Left
        }
    }

    /// True for positions 1 to 5.
    pub fn is_right(self) -> bool {
        self.hand() == Hand::Right
    }

    /// "right thumb", "left index finger", ...
    pub fn name(self) -> &'static str {
        const NAMES: [&str; 10] = [
            "right thumb",
            "right index finger",
            "right middle finger",
            "right ring finger",
            "right little finger",
            "left thumb",
            "left index finger",
            "left middle finger",
            "left ring finger",
            "left little finger",
        ];
        NAMES
            .get(usize::from(self.code()).wrapping_sub(1))
            .copied()
            .unwrap_or("finger")
    }
}

/// The state of one finger.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FingerCondition {
    /// Present with a papillary pattern on the nail phalanx.
    #[default]
    Usable,
    /// Missing (amputated).
    Amputated,
    /// Present, but with no papillary pattern on the nail phalanx (pathology, injury).
    NoPapillaryPattern,
}

impl FingerCondition {
    /// "usable", "amputated", "without papillary pattern".
    pub fn describe(self) -> &'static str {
        match self {
            FingerCondition::Usable => "usable",
            FingerCondition::Amputated => "amputated",
            FingerCondition::NoPapillaryPattern => "without papillary pattern",
        }
    }
}

/// Which hands a person has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Hands {
    /// Both hands.
    #[default]
    Both,
    /// The right hand only: the left hand's fingers count as amputated.
    RightOnly,
    /// The left hand only: the right hand's fingers count as amputated.
    LeftOnly,
    /// Neither hand.
    None,
}

impl Hands {
    /// Whether the person has `hand`.
    pub fn has(self, hand: Hand) -> bool {
        match self {
            Hands::Both => true,
            Hands::RightOnly => hand == Hand::Right,
            Hands::LeftOnly => hand == Hand::Left,
            Hands::None => false,
        }
    }

    /// The hands present, right first.
    pub fn present(self) -> Vec<Hand> {
        [Hand::Right, Hand::Left]
            .into_iter()
            .filter(|&h| self.has(h))
            .collect()
    }
}

/// The condition of each of the ten fingers; in JSON an object whose omitted fingers are
/// usable (`{"right_thumb": "amputated"}`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FingerStatus {
    /// The right thumb.
    pub right_thumb: FingerCondition,
    /// The right index finger.
    pub right_index: FingerCondition,
    /// The right middle finger.
    pub right_middle: FingerCondition,
    /// The right ring finger.
    pub right_ring: FingerCondition,
    /// The right little finger.
    pub right_little: FingerCondition,
    /// The left thumb.
    pub left_thumb: FingerCondition,
    /// The left index finger.
    pub left_index: FingerCondition,
    /// The left middle finger.
    pub left_middle: FingerCondition,
    /// The left ring finger.
    pub left_ring: FingerCondition,
    /// The left little finger.
    pub left_little: FingerCondition,
}

impl FingerStatus {
    /// Every finger in the same condition.
    pub fn all(c: FingerCondition) -> FingerStatus {
        let mut s = FingerStatus::default();
        for f in FingerPosition::ALL {
            s.set(f, c);
        }
        s
    }

    fn slot(&mut self, f: FingerPosition) -> &mut FingerCondition {
        match f {
            RightThumb => &mut self.right_thumb,
            RightIndex => &mut self.right_index,
            RightMiddle => &mut self.right_middle,
            RightRing => &mut self.right_ring,
            RightLittle => &mut self.right_little,
            LeftThumb => &mut self.left_thumb,
            LeftIndex => &mut self.left_index,
            LeftMiddle => &mut self.left_middle,
            LeftRing => &mut self.left_ring,
            LeftLittle => &mut self.left_little,
        }
    }

    /// The condition of finger `f`.
    pub fn get(&self, f: FingerPosition) -> FingerCondition {
        let mut s = *self;
        *s.slot(f)
    }

    /// Sets the condition of finger `f`.
    pub fn set(&mut self, f: FingerPosition, c: FingerCondition) {
        *self.slot(f) = c;
    }

    /// The same with finger `f` in condition `c`.
    pub fn with(mut self, f: FingerPosition, c: FingerCondition) -> FingerStatus {
        self.set(f, c);
        self
    }

    /// The same with every finger of a hand the person does not have marked amputated.
    pub fn on(mut self, hands: Hands) -> FingerStatus {
        for f in FingerPosition::ALL {
            if !hands.has(f.hand()) {
                self.set(f, FingerCondition::Amputated);
            }
        }
        self
    }

    /// The usable fingers, in position order.
    pub fn usable(&self) -> Vec<FingerPosition> {
        FingerPosition::ALL
            .into_iter()
            .filter(|&f| self.get(f) == FingerCondition::Usable)
            .collect()
    }
}
