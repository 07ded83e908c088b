package io.prosima.imaging.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Any bytes as PNG (8 and 16-bit, every colour type the reader takes) through {@link
 * ImageReaders#read}: decoded within limits or refused with ImageFormatException ({@link
 * ReaderContract}). Seeds are small valid files.
 */
class PngReaderFuzzTest {
  @FuzzTest
  void pngFile(byte[] bytes) throws IOException {
    ReaderContract.decodesWithinLimitsOrRefuses(bytes, "fuzz.png");
  }
}
