/**
 * ONNX files to and from {@link dev.quant4j.graph.Model}.
 *
 * <p>{@link dev.quant4j.onnx.OnnxReader#read} maps the file and parses it with aliasing, so weights
 * are viewed in place; external data is resolved inside the model's folder and mapped.
 * {@link dev.quant4j.onnx.OnnxWriter#write} writes embedded or external data through temporary
 * files moved into place and refuses to overwrite the model's own source files.
 * {@link dev.quant4j.onnx.OnnxReader#readTensor} reads a serialized TensorProto (the backend
 * tests' {@code input_0.pb}). Every problem with a file is a
 * {@link dev.quant4j.onnx.ModelFormatException} naming the file and the node or tensor.
 *
 * <p>The protobuf schema is {@code src/main/protobuf/onnx.proto}, written from the ONNX IR
 * specification's field numbers; its generated classes ({@code dev.quant4j.onnx.proto}) stay
 * inside this module's implementation.
 */
package dev.quant4j.onnx;
