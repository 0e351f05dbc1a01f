"""Convert a float32 ONNX graph to float16: weights, input, outputs and the computation on them.

    /usr/bin/python3 tools/model/onnx_fp16.py in.onnx out.onnx

The same graph with the same names, shapes and opset, computing in float16. Only the tensors
that carry data derived from a float graph input (and the weights and constants that meet
them) become float16; float shape arithmetic (Shape -> Cast(to=FLOAT) -> ...) and every int64
tensor stay as they were, so sizes computed in the graph do not change. What a float16 tensor
cannot hold is handled at the edges:

- float inputs that the operator defines as float32 whatever the data (Resize/Upsample
  scales) stay float32; a float16 tensor going there is cast to float32;
- operators without float16 in their type constraints (NonMaxSuppression, Range) run in
  float32 between casts;
- a float32 tensor meeting float16 data in an operator is cast to float16 once; a constant
  (initializer, Constant, ConstantOfShape) that only meets float16 data is converted in place,
  clipped to float16's range.

Graphs with subgraphs (If, Loop, Scan) are refused rather than half-converted.
"""
import argparse
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

FLOAT, FLOAT16 = TensorProto.FLOAT, TensorProto.FLOAT16
FP16_MAX = float(np.finfo(np.float16).max)
# Input slots defined as float32 whatever the data type (by op type; the ops' opsets agree).
FLOAT32_SLOTS = {"Resize": {1, 2}, "Upsample": {1}}
# Operators with float inputs but no float16 in their type constraints: run in float32.
FLOAT32_OPS = {"NonMaxSuppression", "Range"}


def _to_fp16_array(array):
    return np.clip(array, -FP16_MAX, FP16_MAX).astype(np.float16)


def _tensor_to_fp16(tensor):
    converted = numpy_helper.from_array(_to_fp16_array(numpy_helper.to_array(tensor)), tensor.name)
    tensor.CopyFrom(converted)


def _elem_types(model):
    """Element type of every tensor name the float32 graph knows (inferred where not declared)."""
    try:
        inferred = onnx.shape_inference.infer_shapes(model)
    except Exception:  # noqa: BLE001 - inference is a help here, not a requirement
        inferred = model
    graph = inferred.graph
    types = {}
    for info in list(graph.value_info) + list(graph.input) + list(graph.output):
        if info.type.HasField("tensor_type") and info.type.tensor_type.elem_type:
            types[info.name] = info.type.tensor_type.elem_type
    for tensor in graph.initializer:
        types[tensor.name] = tensor.data_type
    return types


def _node_output_type(node, index, types):
    """The element type of a node output that shape inference left open."""
    if node.op_type == "Cast":
        return helper.get_attribute_value(next(a for a in node.attribute if a.name == "to"))
    if node.op_type in ("Constant", "ConstantOfShape"):
        for attribute in node.attribute:
            if attribute.name == "value":
                return attribute.t.data_type
        return FLOAT if node.op_type == "ConstantOfShape" else None
    if node.op_type in ("Shape", "Size", "NonZero", "ArgMax", "ArgMin", "NonMaxSuppression") or (node.op_type == "TopK" and index == 1):
        return TensorProto.INT64
    return next((types[name] for name in node.input if name and name in types), None)


def convert_model(model):
    """A float16 copy of `model` (an onnx.ModelProto computing in float32)."""
    model = onnx.ModelProto.FromString(model.SerializeToString())
    graph = model.graph
    for node in graph.node:
        if any(a.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS) for a in node.attribute):
            raise ValueError(f"node {node.name or node.op_type} ({node.op_type}) has a subgraph; not supported")

    types = _elem_types(model)
    for node in graph.node:
        for index, name in enumerate(node.output):
            if name and name not in types:
                found = _node_output_type(node, index, types)
                if found is not None:
                    types[name] = found

    def is_float(name):
        return bool(name) and types.get(name) == FLOAT

    # 1. Data: float graph inputs, and the float outputs of every node with a float data input
    #    (nodes are in topological order in a valid graph).
    initializers = {t.name: t for t in graph.initializer}
    data = {i.name for i in graph.input if i.name not in initializers and is_float(i.name)}
    data_nodes = set()
    for position, node in enumerate(graph.node):
        if node.op_type in FLOAT32_OPS:
            continue
        slots = FLOAT32_SLOTS.get(node.op_type, set())
        if any(name in data for index, name in enumerate(node.input) if index not in slots):
            data_nodes.add(position)
            data.update(name for name in node.output if is_float(name))

    # 2. What each float input slot wants: float16 in a data node (except float32 slots),
    #    float32 everywhere else. Graph outputs want float16.
    wants = {}  # tensor name -> the types its consumers want, one entry per consumer
    for position, node in enumerate(graph.node):
        slots = FLOAT32_SLOTS.get(node.op_type, set())
        for index, name in enumerate(node.input):
            if is_float(name):
                wanted = FLOAT16 if position in data_nodes and index not in slots else FLOAT
                wants.setdefault(name, []).append(wanted)
    output_names = {o.name for o in graph.output if is_float(o.name)}
    # Identity nodes that share one weight under several names forward float16 when all their
    # consumers want it (from the last to the first, so that chains of them follow).
    half_nodes = set(data_nodes)
    for position in reversed(range(len(graph.node))):
        node = graph.node[position]
        if (node.op_type == "Identity" and position not in data_nodes and is_float(node.input[0])
                and set(wants.get(node.output[0], [])) == {FLOAT16} and node.output[0] not in output_names):
            half_nodes.add(position)
            consumers = wants[node.input[0]]
            consumers[consumers.index(FLOAT)] = FLOAT16

    # 3. Constants that only float16 consumers use become float16 in place.
    producers = {name: node for node in graph.node for name in node.output if name}
    half = set(data)
    for name, wanted in wants.items():
        if name in data or set(wanted) != {FLOAT16} or name in output_names:
            continue
        if name in initializers:
            _tensor_to_fp16(initializers[name])
            half.add(name)
        elif name in producers and producers[name].op_type in ("Constant", "ConstantOfShape"):
            for attribute in producers[name].attribute:
                if attribute.name == "value" and attribute.t.data_type == FLOAT:
                    _tensor_to_fp16(attribute.t)
            if producers[name].op_type == "ConstantOfShape" and not any(a.name == "value" for a in producers[name].attribute):
                producers[name].attribute.append(helper.make_attribute("value", numpy_helper.from_array(np.zeros(1, np.float16))))
            half.add(name)
    half.update(graph.node[position].output[0] for position in half_nodes - data_nodes)
    for position in data_nodes:
        node = graph.node[position]
        if node.op_type == "Cast" and node.output[0] in data:
            for attribute in node.attribute:
                if attribute.name == "to":
                    attribute.i = FLOAT16

    # 4. Casts where a tensor's type and a consumer's want differ (one cast per tensor and type).
    used = {name for node in graph.node for name in list(node.input) + list(node.output)} | set(initializers)

    def fresh(base):
        name, counter = base, 1
        while name in used:
            name, counter = f"{base}_{counter}", counter + 1
        used.add(name)
        return name

    casts = {}  # (tensor, type) -> cast output name
    new_nodes = []

    def cast_of(name, to):
        if (name, to) not in casts:
            output = fresh(f"{name}_{'fp16' if to == FLOAT16 else 'fp32'}")
            new_nodes.append((name, helper.make_node("Cast", [name], [output], name=fresh(f"Cast_{output}"), to=to)))
            casts[(name, to)] = output
        return casts[(name, to)]

    # Float outputs not computed in float16: the producer writes a renamed float32 tensor and a
    # cast gives the output its name.
    for output in graph.output:
        if output.name in output_names and output.name not in half:
            if output.name not in producers:
                raise ValueError(f"output {output.name} is not computed by a node; not supported")
            producer = producers[output.name]
            renamed = fresh(f"{output.name}_fp32")
            producer.output[list(producer.output).index(output.name)] = renamed
            for node in graph.node:
                for index, name in enumerate(node.input):
                    if name == output.name:
                        node.input[index] = renamed
            new_nodes.append((renamed, helper.make_node("Cast", [renamed], [output.name], name=fresh(f"Cast_{output.name}"), to=FLOAT16)))
            types[renamed] = FLOAT
            half.add(output.name)

    for position, node in enumerate(graph.node):
        slots = FLOAT32_SLOTS.get(node.op_type, set())
        for index, name in enumerate(node.input):
            if not is_float(name):
                continue
            wanted = FLOAT16 if position in half_nodes and index not in slots else FLOAT
            current = FLOAT16 if name in half else FLOAT
            if wanted != current:
                node.input[index] = cast_of(name, wanted)

    # Insert each cast right after the node (or at the top for inputs/initializers) making its input.
    ordered = list(graph.node)
    produced = {name for node in ordered for name in node.output if name}
    after = {}
    for source, cast in new_nodes:
        after.setdefault(source, []).append(cast)
    result = [cast for name in list(after) if name not in produced for cast in after.pop(name)]
    for node in ordered:
        result.append(node)
        for name in node.output:
            result.extend(after.pop(name, []))
    del graph.node[:]
    graph.node.extend(result)

    # 5. Declared types follow.
    for info in list(graph.input) + list(graph.output) + list(graph.value_info):
        if info.name in half and info.type.tensor_type.elem_type == FLOAT:
            info.type.tensor_type.elem_type = FLOAT16
    return model


def convert_file(source, destination):
    model = convert_model(onnx.load(source))
    onnx.checker.check_model(model)
    directory = os.path.dirname(os.path.abspath(destination))
    os.makedirs(directory, exist_ok=True)
    onnx.save(model, destination)
    return model


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", help="float32 ONNX model")
    parser.add_argument("destination", help="where to write the float16 model (may be the source)")
    args = parser.parse_args(argv)
    before = os.path.getsize(args.source)
    convert_file(args.source, args.destination)
    after = os.path.getsize(args.destination)
    print(f"wrote {args.destination} ({after / 1e6:.2f} MB; float32 {before / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
