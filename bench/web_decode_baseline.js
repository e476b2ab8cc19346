// The in-browser decoder as it was before issue 13 (cvae_mnist/web.py at 97dda72), kept verbatim as the baseline of
// bench/web_decode.py: float64, convolutions one weight at a time over whole rows, label channels convolved.
// It registers `window.cvaeBaselineDecoder(model)`, which takes the same model spec as `cvaeRuntime.decoder`.
(function () {
  function half(h) {  // an IEEE 754 binary16 number
    var s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 31, f = h & 1023;
    if (e === 0) return s*f*Math.pow(2, -24);
    if (e === 31) return f ? NaN : s*Infinity;
    return s*(1 + f/1024)*Math.pow(2, e - 15);
  }
  function tensor(t) {  // base64 little-endian float16, float32 or uint8 -> Float64Array
    var str = atob(t.data), bytes = new Uint8Array(str.length);
    for (var i = 0; i < str.length; i++) bytes[i] = str.charCodeAt(i);
    if (t.dtype === 'uint8') return Float64Array.from(bytes);
    if (t.dtype === 'float32') return Float64Array.from(new Float32Array(bytes.buffer));
    return Float64Array.from(new Uint16Array(bytes.buffer), half);
  }
  function linear(h, o) {  // w: (out, in)
    var n = h.length, out = new Float64Array(o.out);
    for (var r = 0; r < o.out; r++) {
      var s = o.b[r], row = r*n;
      for (var i = 0; i < n; i++) s += o.w[row + i]*h[i];
      out[r] = s;
    }
    return out;
  }
  function span(n, st, off, lim) {  // [lo, hi): the t < n with 0 <= t*st + off < lim
    return [Math.max(0, Math.ceil(-off/st)), Math.min(n, Math.floor((lim - 1 - off)/st) + 1)];
  }
  // Convolutions loop over one weight at a time and shift whole rows by it: no bounds test in the inner loop.
  function conv(h, shape, o) {  // w: (out, in, k, k)
    var C = shape[0], H = shape[1], W = shape[2], k = o.k, st = o.stride, p = o.pad, O = o.out;
    var Ho = Math.floor((H + 2*p - k)/st) + 1, Wo = Math.floor((W + 2*p - k)/st) + 1, out = new Float64Array(O*Ho*Wo);
    for (var a = 0; a < O; a++) {
      out.fill(o.b[a], a*Ho*Wo, (a + 1)*Ho*Wo);
      for (var c = 0; c < C; c++) for (var i = 0; i < k; i++) {
        var ys = span(Ho, st, i - p, H);
        for (var j = 0; j < k; j++) {
          var w = o.w[((a*C + c)*k + i)*k + j], xs = span(Wo, st, j - p, W);
          for (var y = ys[0]; y < ys[1]; y++) {
            var src = (c*H + y*st + i - p)*W + j - p, dst = (a*Ho + y)*Wo;
            for (var x = xs[0]; x < xs[1]; x++) out[dst + x] += w*h[src + x*st];
          }
        }
      }
    }
    return [out, [O, Ho, Wo]];
  }
  // w: (in, out, k, k); input pixel (y, x) spreads into output (y*st - p + i, x*st - p + j)
  function convT(h, shape, o) {
    var C = shape[0], H = shape[1], W = shape[2], k = o.k, st = o.stride, p = o.pad, O = o.out;
    var Ho = (H - 1)*st - 2*p + k, Wo = (W - 1)*st - 2*p + k, out = new Float64Array(O*Ho*Wo);
    for (var a = 0; a < O; a++) out.fill(o.b[a], a*Ho*Wo, (a + 1)*Ho*Wo);
    for (var c = 0; c < C; c++) for (var a = 0; a < O; a++) for (var i = 0; i < k; i++) {
      var ys = span(H, st, i - p, Ho);
      for (var j = 0; j < k; j++) {
        var w = o.w[((c*O + a)*k + i)*k + j], xs = span(W, st, j - p, Wo);
        for (var y = ys[0]; y < ys[1]; y++) {
          var src = (c*H + y)*W, dst = (a*Ho + y*st + i - p)*Wo + j - p;
          for (var x = xs[0]; x < xs[1]; x++) out[dst + x*st] += w*h[src + x];
        }
      }
    }
    return [out, [O, Ho, Wo]];
  }
  // one-hot label appended as features, or as constant channels: vae.with_label
  function withLabel(h, shape, digit, K) {
    var n = shape.length === 1 ? 1 : shape[1]*shape[2], out = new Float64Array(h.length + K*n);
    out.set(h); out.fill(1, h.length + digit*n, h.length + (digit + 1)*n);
    return [out, shape.length === 1 ? [shape[0] + K] : [shape[0] + K, shape[1], shape[2]]];
  }
  function decoder(model) {  // decode(z, digit): 784 pixel probabilities of the code z (and digit)
    var ops = model.ops.map(function (o) {
      var c = Object.assign({}, o);
      if (o.w) { c.w = tensor(o.w); c.b = tensor(o.b); }
      return c;
    });
    return function decode(z, digit) {
      if (z.length !== model.latent_dim) throw new Error('z must have ' + model.latent_dim + ' numbers');
      var h = Float64Array.from(z), shape = [h.length], r;
      ops.forEach(function (o) {
        if (o.op === 'label') { r = withLabel(h, shape, digit, model.n_classes); h = r[0]; shape = r[1]; }
        else if (o.op === 'linear') { h = linear(h, o); shape = [o.out]; }
        else if (o.op === 'reshape') shape = o.shape;
        else if (o.op === 'conv' || o.op === 'convT') {
          r = (o.op === 'conv' ? conv : convT)(h, shape, o); h = r[0]; shape = r[1];
        }
        else if (o.op === 'relu') h = h.map(function (v) { return Math.max(v, 0); });
        else if (o.op === 'leaky_relu') h = h.map(function (v) { return v > 0 ? v : o.slope*v; });
      });
      return Array.from(h, function (v) { return 1/(1 + Math.exp(-v)); });
    };
  }
  window.cvaeBaselineDecoder = decoder;
})();
