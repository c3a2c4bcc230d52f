/**
 * Real data for calibration, evaluation, differential tests and training, read in plain Java.
 *
 * <p>Every reader yields {@link dev.quant4j.data.Sample}s — row-major floats, a shape without the
 * batch dimension, a label and/or a text — through the lazy {@link dev.quant4j.data.Dataset}
 * (index access, seeded {@code shuffled}/{@code split}, {@code map}); {@link dev.quant4j.data.Batches}
 * stacks them into {@link dev.quant4j.data.Batch}es and reports progress.
 *
 * <pre>
 *  npy    Npy, Npz, NpyArray         NPY v1–v3 / NPZ read and write
 *  idx    IdxFile, IdxDataset        MNIST / Fashion-MNIST (raw or gzip, mapped)
 *  table  SklearnCsv                 iris, wine, breast cancer, digits
 *  image  ImageFolder, Preprocessing resize (Bilinear), pad/crop, channels, layout, normalization
 *  text   BrownCorpus, TextLineRenderer, PpOcrInput, TextLineDataset, TokenSequences
 *  audio  WavReader, Resampler, LibriVox
 *  faces  LfwSubset                  lfw_subset.npy, BlazeFace input
 * </pre>
 *
 * Malformed files raise {@link dev.quant4j.data.DataFileException} naming the file; sizes read
 * from a file are checked against its length before use.
 */
package dev.quant4j.data;
