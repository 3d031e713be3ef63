#!/usr/bin/python3
"""Rewrites PP-OCRv4's text detector for OpenCV 4.6's DNN module.

The model as published (opset 11) gives Clip its bounds as inputs fed by
Constant nodes; OpenCV 4.6 imports only the older form with `min`/`max`
attributes and aborts the whole process on the other. This script moves each
Clip's constant bounds into attributes and drops the Constants nothing else
reads. Nothing else changes: the weights are byte-for-byte those published.

usage: convert-det.py IN.onnx OUT.onnx
"""
import sys

import onnx
from onnx import helper, numpy_helper


def main(src, dst):
    model = onnx.load(src)
    graph = model.graph
    consts = {}
    for node in graph.node:
        if node.op_type == "Constant":
            consts[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
    for init in graph.initializer:
        consts[init.name] = numpy_helper.to_array(init)

    rewritten = 0
    for node in graph.node:
        if node.op_type != "Clip" or len(node.input) == 1:
            continue
        bounds = []
        for name in node.input[1:3]:
            if name and name not in consts:
                sys.exit(f"Clip {node.name}: bound {name} is not a constant")
            bounds.append(float(consts[name]) if name else None)
        del node.input[1:]
        lo, hi = (bounds + [None, None])[:2]
        if lo is not None:
            node.attribute.append(helper.make_attribute("min", lo))
        if hi is not None:
            node.attribute.append(helper.make_attribute("max", hi))
        rewritten += 1

    used = {name for node in graph.node for name in node.input}
    used.update(o.name for o in graph.output)
    keep = [n for n in graph.node if n.op_type != "Constant" or n.output[0] in used]
    dropped = len(graph.node) - len(keep)
    del graph.node[:]
    graph.node.extend(keep)
    # No onnx.checker: attribute-form Clip is invalid at the model's opset 11
    # by the letter of the spec; OpenCV reads it, and the start-up check of
    # labelcheck runs the model on a known image.
    onnx.save(model, dst)
    print(f"{dst}: {rewritten} Clip nodes rewritten, {dropped} constants dropped")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
