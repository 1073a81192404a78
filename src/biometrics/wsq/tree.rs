//! The WSQ decomposition geometry (FBI IAFIS-IC-0110 v3.1, Annex A.1 and Figures A.1-A.3): the
//! 20 two-dimensional splits of the wavelet tree (with their spectral inversion flags) and the
//! 64 subbands they leave, their positions and sizes for a given image size. Odd lengths split
//! with the larger half first, except where the inversion flags put the highpass half first.

/// One split of the wavelet tree: the rectangle it covers and whether its row (vertical) or
/// column (horizontal) split puts the highpass half first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Split {
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
    pub invert_rows: bool,
    pub invert_cols: bool,
}

/// One subband's rectangle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Band {
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
}

/// Halves of a length: (first, second), the first the larger unless `small_first`.
fn halves(len: i64, small_first: bool) -> (i64, i64) {
    if len % 2 == 0 {
        (len / 2, len / 2)
    } else if small_first {
        ((len - 1) / 2, (len + 1) / 2)
    } else {
        ((len + 1) / 2, (len - 1) / 2)
    }
}

/// Splits the rectangle of node `p1` into four children at `p2..p2+4` (p2+3 only when `fourth`).
fn split4(t: &mut [Split; 20], p1: usize, p2: usize, rect: Band, fourth: bool) {
    t[p1].x = rect.x;
    t[p1].y = rect.y;
    t[p1].width = rect.width;
    t[p1].height = rect.height;
    let (w0, w1) = halves(rect.width, p1 == 4);
    let (h0, h1) = halves(rect.height, p1 == 5);
    let cells = [
        (rect.x, rect.y, w0, h0),
        (rect.x + w0, rect.y, w1, h0),
        (rect.x, rect.y + h0, w0, h1),
        (rect.x + w0, rect.y + h0, w1, h1),
    ];
    let n = if fourth { 4 } else { 3 };
    for (i, &(x, y, w, h)) in cells.iter().enumerate().take(n) {
        let s = &mut t[p2 + i];
        s.x = x;
        s.y = y;
        s.width = w;
        s.height = h;
    }
}

/// The 20 splits for an image of `width` x `height`.
pub fn splits(width: i64, height: i64) -> [Split; 20] {
    let mut t = [Split::default(); 20];
    for i in [2, 4, 7, 9, 11, 13, 16, 18] {
        t[i].invert_rows = true;
    }
    for i in [3, 5, 8, 9, 12, 13, 17, 18] {
        t[i].invert_cols = true;
    }
    split4(
        &mut t,
        0,
        1,
        Band {
            x: 0,
            y: 0,
            width,
            height,
        },
        false,
    );
    let (lx, lx2) = halves(t[1].width, false);
    let (ly, ly2) = halves(t[1].height, false);
    split4(
        &mut t,
        4,
        6,
        Band {
            x: lx,
            y: 0,
            width: lx2,
            height: ly,
        },
        true,
    );
    split4(
        &mut t,
        5,
        10,
        Band {
            x: 0,
            y: ly,
            width: lx,
            height: ly2,
        },
        true,
    );
    split4(
        &mut t,
        14,
        15,
        Band {
            x: 0,
            y: 0,
            width: lx,
            height: ly,
        },
        true,
    );
    t[19].x = 0;
    t[19].y = 0;
    t[19].width = halves(t[15].width, false).0;
    t[19].height = halves(t[15].height, false).0;
    t
}

/// Sixteen subbands from a rectangle split twice in each direction, numbered in the
/// specification's order (2x2 groups of 2x2). `rows_small_first` / `cols_small_first` put the
/// smaller half of the first split first; in the second split the highpass (right or bottom)
/// quarters put their smaller half first, mirroring the lowpass quarters.
fn bands16(q: &mut [Band; 64], p: usize, r: Band, rows_small_first: bool, cols_small_first: bool) {
    let (tx, tx2) = halves(r.width, cols_small_first);
    let (ty, ty2) = halves(r.height, rows_small_first);
    let quarters = [
        (r.x, r.y, tx, ty),
        (r.x + tx, r.y, tx2, ty),
        (r.x, r.y + ty, tx, ty2),
        (r.x + tx, r.y + ty, tx2, ty2),
    ];
    for (g, &(x, y, w, h)) in quarters.iter().enumerate() {
        let rect = Band {
            x,
            y,
            width: w,
            height: h,
        };
        bands4(q, p + 4 * g, rect, g >= 2, g % 2 == 1);
    }
}

/// Four subbands from a rectangle split once in each direction.
fn bands4(q: &mut [Band; 64], p: usize, r: Band, rows_small_first: bool, cols_small_first: bool) {
    let (w0, w1) = halves(r.width, cols_small_first);
    let (h0, h1) = halves(r.height, rows_small_first);
    q[p] = Band {
        x: r.x,
        y: r.y,
        width: w0,
        height: h0,
    };
    q[p + 1] = Band {
        x: r.x + w0,
        y: r.y,
        width: w1,
        height: h0,
    };
    q[p + 2] = Band {
        x: r.x,
        y: r.y + h0,
        width: w0,
        height: h1,
    };
    q[p + 3] = Band {
        x: r.x + w0,
        y: r.y + h0,
        width: w1,
        height: h1,
    };
}

fn band_of(s: &Split) -> Band {
    Band {
        x: s.x,
        y: s.y,
        width: s.width,
        height: s.height,
    }
}

/// The 64 subbands for the given splits.
pub fn bands(t: &[Split; 20]) -> [Band; 64] {
    let mut q = [Band::default(); 64];
    bands16(&mut q, 3, band_of(&t[14]), false, false);
    bands16(&mut q, 19, band_of(&t[4]), false, true);
    bands16(&mut q, 48, band_of(&t[0]), false, false);
    bands16(&mut q, 35, band_of(&t[5]), true, false);
    bands4(&mut q, 0, band_of(&t[19]), false, false);
    q
}
