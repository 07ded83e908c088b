package io.prosima.imaging.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Any bytes as NIfTI-1, plain or gzipped (the reader tells by content) through {@link
 * ImageReaders#read}: decoded within limits or refused with ImageFormatException ({@link
 * ReaderContract}). Seeds are small valid files.
 */
class NiftiReaderFuzzTest {
  @FuzzTest
  void niftiFile(byte[] bytes) throws IOException {
    ReaderContract.decodesWithinLimitsOrRefuses(bytes, "fuzz.nii");
  }
}
