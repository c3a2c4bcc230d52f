# Writes the NPY/NPZ fixtures of NpyTest with numpy itself (the reference implementation of the
# format). Run: python3 make_fixtures.py  (numpy 2.x). Values follow formulas that NpyTest repeats.
import numpy as np
import numpy.lib.format as fmt

a = (np.arange(24, dtype=np.float64).reshape(2, 3, 4) * 0.5 - 3)
np.save("f4_c.npy", a.astype("<f4"))
np.save("f8_fortran.npy", np.asfortranarray(a.reshape(6, 4)))
np.save("i4_fortran.npy", np.asfortranarray((np.arange(12).reshape(3, 4) * 1000 - 5000).astype("<i4")))
np.save("i8.npy", np.array([2**60 + 1, -(2**62) - 3, 0, 7], dtype="<i8"))
np.save("u1.npy", np.arange(256, dtype=np.uint8).reshape(16, 16))
np.save("i1.npy", np.arange(-128, 128, dtype=np.int8))
h = np.array([0.1, 65504, -2.5, 6e-8, 1e-5, -0.0, 3.14159], dtype="<f2")
np.save("f2.npy", h)
np.save("f2_as_f4.npy", h.astype("<f4"))
np.save("scalar.npy", np.array(42.5, dtype="<f8"))
np.save("empty.npy", np.zeros((0, 3), dtype="<f4"))
for v in [(2, 0), (3, 0)]:
    with open("f4_v%d.npy" % v[0], "wb") as f:
        fmt.write_array(f, a.astype("<f4"), version=v)
np.savez("stored.npz", x=a.astype("<f4"), labels=np.array([3, 1, 4], dtype="<i8"))
np.savez_compressed("deflated.npz", x=a.astype("<f4"), labels=np.array([3, 1, 4], dtype="<i8"))
