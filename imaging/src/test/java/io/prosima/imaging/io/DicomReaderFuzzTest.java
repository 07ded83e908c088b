package io.prosima.imaging.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;

/**
 * Any bytes as DICOM Part 10 (uncompressed, deflated, RLE, JPEG, JPEG 2000 frames) through {@link
 * ImageReaders#read}: decoded within limits or refused with ImageFormatException ({@link
 * ReaderContract}). Seeds are small valid files.
 */
class DicomReaderFuzzTest {
  @FuzzTest
  void dicomFile(byte[] bytes) throws IOException {
    ReaderContract.decodesWithinLimitsOrRefuses(bytes, "fuzz.dcm");
  }
}
