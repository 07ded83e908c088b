#!/usr/bin/python3
"""Makes the compressed-DICOM fixtures and their expected pixel values (run once; CI only reads the
committed output). Needs Debian's python3-pydicom (2.3), python3-numpy, python3-gdcm, python3-pil,
libgdcm-tools (gdcmconv) and dcmtk (dcmcjpeg). Run from this folder:

    ./make_fixtures.py ../../../../../shared/data

Sources: Debian python3-pydicom's test files (copied as they are) and shared/data (MR_small.dcm,
CT_small.dcm, one MRI slice PNG), from which small files are generated and compressed with GDCM's
gdcmconv or DCMTK's dcmcjpeg. Expected values are decoded by pydicom with the handler named in
expected.csv (GDCM's or Pillow's libraries: independent of the Java decoders under test), then
turned into Prosima's grey values with numpy, by the rule written in DicomFrameConverter:
bits stored masked, sign-extended when signed, MONOCHROME1 inverted within the stored range,
rescaled; colour as luminance 0.299 R + 0.587 G + 0.114 B of pydicom's RGB, or the Y of YBR_FULL
(pydicom returns YBR data unconverted).
"""
import csv
import gzip
import os
import shutil
import subprocess
import sys

import numpy as np
import pydicom
from pydicom.pixel_data_handlers import gdcm_handler, numpy_handler, pillow_handler, rle_handler
from pydicom.uid import ExplicitVRLittleEndian

DEBIAN = "/usr/lib/python3/dist-packages/pydicom/data/test_files"
SHARED = sys.argv[1] if len(sys.argv) > 1 else "../../../../../shared/data"
HANDLERS = {"gdcm": gdcm_handler, "pillow": pillow_handler, "numpy": numpy_handler,
            "rle": rle_handler}


def run(*cmd):
    subprocess.run(cmd, check=True)


def debian(name):
    shutil.copyfile(os.path.join(DEBIAN, name), name)


def grey(ds, arr, frame):
    """Prosima's grey values of one frame, from pydicom's decoded array."""
    nframes = int(getattr(ds, "NumberOfFrames", 1))
    a = arr[frame - 1] if nframes > 1 else arr
    spp = int(ds.SamplesPerPixel)
    if spp == 3:
        a = a.astype(np.float64)
        if ds.PhotometricInterpretation.startswith("YBR_FULL"):
            return a[..., 0]  # pydicom leaves YBR as it is: Y is the luminance
        return 0.299 * a[..., 0] + 0.587 * a[..., 1] + 0.114 * a[..., 2]
    bs = int(ds.BitsStored)
    v = a.astype(np.int64) & ((1 << bs) - 1)
    signed = int(ds.PixelRepresentation) == 1
    if signed:
        v = np.where(v & (1 << (bs - 1)), v - (1 << bs), v)
    if ds.PhotometricInterpretation == "MONOCHROME1":
        v = -1 - v if signed else ((1 << bs) - 1) - v
    slope = float(getattr(ds, "RescaleSlope", 1) or 1)
    intercept = float(getattr(ds, "RescaleIntercept", 0) or 0)
    return v * slope + intercept


ALL_HANDLERS = list(pydicom.config.pixel_data_handlers)


def expect(rows, name, handler, frames=(1,), tolerance=0.0, stride=1, note=""):
    """Writes the grey values of each frame (every stride-th pixel of every stride-th row)."""
    pydicom.config.pixel_data_handlers = [HANDLERS[handler]]
    try:
        ds = pydicom.dcmread(name)
        arr = ds.pixel_array
    finally:
        pydicom.config.pixel_data_handlers = ALL_HANDLERS
    for f in frames:
        g = grey(ds, arr, f)
        g = np.ascontiguousarray(g[::stride, ::stride]).astype("<f4")
        out = "expected/%s.frame%d.f32.gz" % (name[:-4], f)
        with gzip.GzipFile(out, "wb", mtime=0) as z:
            z.write(g.tobytes())
        rows.append([name, f, int(ds.Columns), int(ds.Rows), stride, tolerance, handler, note])


def write_native(ds, name, syntax=ExplicitVRLittleEndian):
    ds.file_meta.TransferSyntaxUID = syntax
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.save_as(name, write_like_original=False)


def main():
    rows = []
    mr = os.path.join(SHARED, "dicom/MR_small.dcm")
    ct = os.path.join(SHARED, "dicom/CT_small.dcm")

    # Debian's pydicom test files, as they are.
    for n in ["MR_small_RLE.dcm", "MR_small_jp2klossless.dcm", "MR_small_jpeg_ls_lossless.dcm",
              "SC_rgb_rle_2frame.dcm", "SC_rgb_jpeg_dcmtk.dcm", "SC_rgb_jpeg_gdcm.dcm",
              "image_dfl.dcm", "JPGExtended.dcm", "rtdose_rle.dcm", "693_J2KI.dcm",
              "JPEG2000.dcm", "SC_rgb_small_odd.dcm"]:
        debian(n)
    expect(rows, "MR_small_RLE.dcm", "rle", note="RLE 16-bit signed")
    expect(rows, "MR_small_jp2klossless.dcm", "gdcm", note="JPEG 2000 lossless 16-bit signed")
    expect(rows, "SC_rgb_rle_2frame.dcm", "rle", frames=(1, 2), note="RLE RGB 2 frames")
    expect(rows, "SC_rgb_jpeg_dcmtk.dcm", "pillow",
           note="JPEG baseline YBR_FULL colour; lossy")
    expect(rows, "SC_rgb_jpeg_gdcm.dcm", "gdcm", note="JPEG lossless SV1 RGB")
    expect(rows, "image_dfl.dcm", "numpy", note="Deflated Explicit VR LE, 8-bit")
    expect(rows, "rtdose_rle.dcm", "rle", frames=(1, 8, 15), note="RLE 32-bit 15 frames")
    expect(rows, "693_J2KI.dcm", "gdcm", stride=8,
           note="JPEG 2000 lossy, signed, bits stored 14")
    expect(rows, "JPEG2000.dcm", "gdcm", stride=4, note="JPEG 2000 lossy 16-bit signed")
    expect(rows, "SC_rgb_small_odd.dcm", "numpy", note="native RGB 3x3")

    # Generated from shared/data: JPEG lossless of a 16-bit signed MR, GDCM (process 14 SV1).
    run("gdcmconv", "--jpeg", mr, "MR_small_jpeg_sv1.dcm")
    expect(rows, "MR_small_jpeg_sv1.dcm", "gdcm", note="JPEG lossless SV1 16-bit signed (gdcmconv)")
    # DCMTK: lossless process 14 with selection value 6 (1.2.840.10008.1.2.4.57).
    run("dcmcjpeg", "+el", "+sv", "6", mr, "MR_small_jpeg_p14sv6.dcm")
    expect(rows, "MR_small_jpeg_p14sv6.dcm", "gdcm", note="JPEG lossless process 14 SV6 (dcmcjpeg)")
    # JPEG 2000 lossy (gdcmconv).
    run("gdcmconv", "--j2k", "--lossy", "-q", "40", mr, "MR_small_j2k_lossy.dcm")
    expect(rows, "MR_small_j2k_lossy.dcm", "gdcm", note="JPEG 2000 lossy (gdcmconv)")

    # An 8-bit 64x64 crop of a real MRI slice, then JPEG baseline and 8-bit extended (dcmcjpeg).
    from PIL import Image
    png = os.path.join(SHARED, "mri/human-t1-axial/ch2better_ax_130.png")
    crop = np.asarray(Image.open(png))[96:160, 96:160].astype(np.uint8)
    ds = pydicom.dcmread(mr)
    ds.BitsAllocated, ds.BitsStored, ds.HighBit, ds.PixelRepresentation = 8, 8, 7, 0
    ds.RescaleSlope, ds.RescaleIntercept = 1, 0
    ds.PixelData = crop.tobytes()
    write_native(ds, "brain8.dcm")
    run("dcmcjpeg", "+eb", "brain8.dcm", "brain8_jpeg_baseline.dcm")
    expect(rows, "brain8_jpeg_baseline.dcm", "pillow", note="JPEG baseline 8-bit")
    run("dcmcjpeg", "+ee", "brain8.dcm", "brain8_jpeg_extended.dcm")
    expect(rows, "brain8_jpeg_extended.dcm", "gdcm",
           note="JPEG extended (SOF1) 8-bit")
    os.remove("brain8.dcm")

    # Multi-frame: MR_small three times (as is, negated, shifted), native and JPEG lossless.
    ds = pydicom.dcmread(mr)
    a = ds.pixel_array.astype(np.int16)
    frames = np.stack([a, (-a).astype(np.int16), (a // 2 + 100).astype(np.int16)])
    ds.NumberOfFrames = 3
    ds.PixelData = frames.tobytes()
    write_native(ds, "MR_small_3frames.dcm")
    expect(rows, "MR_small_3frames.dcm", "numpy", frames=(1, 2, 3), note="native 3 frames")
    run("gdcmconv", "--jpeg", "MR_small_3frames.dcm", "MR_small_3frames_jpeg.dcm")
    expect(rows, "MR_small_3frames_jpeg.dcm", "gdcm", frames=(1, 2, 3),
           note="JPEG lossless 3 frames")

    # MONOCHROME1.
    ds = pydicom.dcmread(mr)
    ds.PhotometricInterpretation = "MONOCHROME1"
    write_native(ds, "MR_small_monochrome1.dcm")
    expect(rows, "MR_small_monochrome1.dcm", "numpy", note="MONOCHROME1 signed")
    # Bits stored 12 of 16, signed, with junk in the 4 unused high bits.
    ds = pydicom.dcmread(ct)
    s = ds.pixel_array.astype(np.int32) - 1024
    junk = (np.arange(s.size).reshape(s.shape) % 16) << 12
    ds.BitsStored, ds.HighBit, ds.RescaleIntercept = 12, 11, 0
    ds.PixelData = ((s & 0xFFF) | junk).astype(np.uint16).tobytes()
    write_native(ds, "CT_small_12bit_junk.dcm")
    expect(rows, "CT_small_12bit_junk.dcm", "numpy", note="bits stored 12 signed, junk high bits")

    with open("expected/expected.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "frame", "width", "height", "stride", "max_abs_diff", "decoder", "note"])
        w.writerows(rows)


main()
