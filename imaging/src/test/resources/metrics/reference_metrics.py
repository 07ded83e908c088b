# Independent reference values for ImageMetricsTest (run: python3 reference_metrics.py).
# Uses numpy + scipy.ndimage.gaussian_filter exactly as scikit-image's structural_similarity does
# with gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=1
# (filter truncate=3.5, mode='reflect', then crop (win_size - 1) // 2 = 5 pixels on each side).
# scikit-image itself is not installable here (no PyPI); this mirrors its algorithm.
import numpy as np
from scipy.ndimage import gaussian_filter

W, H = 48, 40
y, x = np.mgrid[0:H, 0:W]
a = (((x * 7 + y * 13) % 31) / np.float32(30)).astype(np.float32).astype(np.float64)
b = (((x * 5 + y * 3 + (x * y) % 7) % 29) / np.float32(28)).astype(np.float32).astype(np.float64)
c = np.clip(a + 0.05 * np.sin(x * 0.3 + y * 0.7), 0, 1).astype(np.float32).astype(np.float64)

def psnr(test, ref):
    return 10 * np.log10(1.0 / np.mean((test - ref) ** 2))

def ssim(x1, y1):
    f = lambda z: gaussian_filter(z, sigma=1.5, truncate=3.5, mode='reflect')
    ux, uy = f(x1), f(y1)
    vx = f(x1 * x1) - ux * ux
    vy = f(y1 * y1) - uy * uy
    vxy = f(x1 * y1) - ux * uy
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    s = ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux ** 2 + uy ** 2 + c1) * (vx + vy + c2))
    return s[5:-5, 5:-5].mean()

u = np.arange(16, dtype=np.float64)
v = np.cos(u) * 3 + 1
print("psnr(b, a) = %.12f" % psnr(b, a))
print("psnr(c, a) = %.12f" % psnr(c, a))
print("ssim(a, b) = %.12f" % ssim(a, b))
print("ssim(a, c) = %.12f" % ssim(a, c))
print("cosine(u, v) = %.12f" % (u @ v / np.linalg.norm(u) / np.linalg.norm(v)))
