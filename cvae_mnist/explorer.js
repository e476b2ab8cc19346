// The in-browser explorers' runtime: the decoder, codes, pictures and one function per
// kind of explorer. The web chapter (nbs/08_web.ipynb) explains it, function by
// function, and checks it against PyTorch; cvae_mnist/web.py puts this file into every
// explorer fragment. It is plain JavaScript (ES5 and typed arrays), with no library, so
// that a page works offline in any browser.
(function () {
  if (window.cvaeRuntime) return;  // several fragments on one page share one runtime

  // ---- The decoder and the encoder --------------------------------------------------
  // A model's operations from `decoder_ops` (or `encoder_ops`), run on one code (or one
  // image) at a time in float64. Each layer is prepared once as a product of two
  // matrices, which `dots` multiplies.

  // An IEEE 754 binary16 number (the bits `h`) as a JavaScript number.
  function half(h) {
    var s = h & 0x8000 ? -1 : 1, e = (h >> 10) & 31, f = h & 1023;
    if (e === 0) return s*f*Math.pow(2, -24);
    if (e === 31) return f ? NaN : s*Infinity;
    return s*(1 + f/1024)*Math.pow(2, e - 15);
  }

  // A tensor of the page (base64 of little-endian float16, float32 or uint8): numbers.
  function tensor(t) {
    var str = atob(t.data), bytes = new Uint8Array(str.length);
    for (var i = 0; i < str.length; i++) bytes[i] = str.charCodeAt(i);
    if (t.dtype === 'uint8') return Float64Array.from(bytes);
    if (t.dtype === 'float32') return Float64Array.from(new Float32Array(bytes.buffer));
    return Float64Array.from(new Uint16Array(bytes.buffer), half);
  }

  // out[m*N + n] = the dot product of the first K numbers of A's row m and B's row n
  // (rows lda and ldb apart). Four rows of A against two of B at a time: eight sums
  // held in registers, six numbers loaded for eight multiply-adds. Past the last row of
  // A or B the last one is used again, and what it gives is not stored.
  function dotsJS(A, lda, B, ldb, M, N, K, out) {
    var lastA = (M - 1)*lda;
    for (var m = 0; m < M; m += 4) {
      var a0 = m*lda, a1 = Math.min(a0 + lda, lastA);
      var a2 = Math.min(a1 + lda, lastA), a3 = Math.min(a2 + lda, lastA);
      for (var n = 0; n < N; n += 2) {
        var b0 = n*ldb, b1 = n + 1 < N ? b0 + ldb : b0;
        var s0 = 0, s1 = 0, s2 = 0, s3 = 0, t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        for (var k = 0; k < K; k++) {
          var u = B[b0 + k], v = B[b1 + k];
          var x0 = A[a0 + k], x1 = A[a1 + k], x2 = A[a2 + k], x3 = A[a3 + k];
          s0 += x0*u; s1 += x1*u; s2 += x2*u; s3 += x3*u;
          t0 += x0*v; t1 += x1*v; t2 += x2*v; t3 += x3*v;
        }
        // r: the rows of A left; two: whether there is a second row of B
        var o = m*N + n, r = M - m, two = n + 1 < N;
        out[o] = s0;
        if (r > 1) out[o + N] = s1;
        if (r > 2) out[o + 2*N] = s2;
        if (r > 3) out[o + 3*N] = s3;
        if (two) {
          out[o + 1] = t0;
          if (r > 1) out[o + N + 1] = t1;
          if (r > 2) out[o + 2*N + 1] = t2;
        }
        if (two && r > 3) out[o + 3*N + 1] = t3;
      }
    }
    return out;
  }

  // The same kernel in WebAssembly, with 128-bit SIMD: each of the eight sums is kept
  // as two, over the even and the odd k, added at the end, so that one instruction does
  // two multiply-adds (4 to 5 times faster than the JavaScript in Chromium). Its source
  // is WebAssembly text, listed in the web chapter with how to assemble it; here are
  // its 953 bytes in base64. Where the browser has no WebAssembly SIMD, or the page
  // sets window.cvaeKernel = 'js' before the runtime, `dotsJS` runs instead.
  var DOTS_WASM =
    'AGFzbQEAAAABHwNgCH9/f39/f39/AGAFe39/f38BfGAHf39/fHx8fAADBAMAAQIFAwEAAQcRAgZt' +
    'ZW1vcnkCAARkb3RzAAAK7wYD9AUDDn8Oewh8IAZBfnEhCyAAIARBAWsgAWxBA3RqIQwgAUEDdCEB' +
    'IANBA3QhA0EAIQgCQANAIAggBE4NASAAIAggAWxqIQ0gDSABaiEOIA4gDEsEQCAMIQ4LIA4gAWoh' +
    'DyAPIAxLBEAgDCEPCyAPIAFqIRAgECAMSwRAIAwhEAtBACEJAkADQCAJIAVODQEgCUEBaiAFSCEV' +
    'IAIgCSADbGohESARIANqIBEgFRshEv0MAAAAAAAAAAAAAAAAAAAAACEc/QwAAAAAAAAAAAAAAAAA' +
    'AAAAISD9DAAAAAAAAAAAAAAAAAAAAAAhHf0MAAAAAAAAAAAAAAAAAAAAACEh/QwAAAAAAAAAAAAA' +
    'AAAAAAAAIR79DAAAAAAAAAAAAAAAAAAAAAAhIv0MAAAAAAAAAAAAAAAAAAAAACEf/QwAAAAAAAAA' +
    'AAAAAAAAAAAAISNBACEKAkADQCAKIAtODQEgCkEDdCETIBEgE2r9AAMAIRogEiATav0AAwAhGyAN' +
    'IBNq/QADACEWIA4gE2r9AAMAIRcgDyATav0AAwAhGCAQIBNq/QADACEZIBwgFiAa/fIB/fABIRwg' +
    'HSAXIBr98gH98AEhHSAeIBggGv3yAf3wASEeIB8gGSAa/fIB/fABIR8gICAWIBv98gH98AEhICAh' +
    'IBcgG/3yAf3wASEhICIgGCAb/fIB/fABISIgIyAZIBv98gH98AEhIyAKQQJqIQoMAAsLIAtBA3Qh' +
    'EyAcIA0gESATIAYQASEkIB0gDiARIBMgBhABISUgHiAPIBEgEyAGEAEhJiAfIBAgESATIAYQASEn' +
    'ICAgDSASIBMgBhABISggISAOIBIgEyAGEAEhKSAiIA8gEiATIAYQASEqICMgECASIBMgBhABISsg' +
    'BCAIayEUIAcgCCAFbCAJakEDdGohEyAFQQN0IQogEyAKIBQgJCAlICYgJxACIBUEQCATQQhqIAog' +
    'FCAoICkgKiArEAILIAlBAmohCQwACwsgCEEEaiEIDAALCwsxAQF8IAD9IQAgAP0hAaAhBSAEQQFx' +
    'BEAgBSABIANqKwMAIAIgA2orAwCioCEFCyAFC0UAIAAgAzkDACACQQFKBEAgACABaiAEOQMACyAC' +
    'QQJKBEAgACABQQF0aiAFOQMACyACQQNKBEAgACABQQNsaiAGOQMACws=';
  var wasm = (function () {
    if (window.cvaeKernel === 'js' || typeof WebAssembly !== 'object') return null;
    try {
      var bytes = Uint8Array.from(atob(DOTS_WASM), function (c) {
        return c.charCodeAt(0);
      });
      if (!WebAssembly.validate(bytes)) return null;
      return new WebAssembly.Instance(new WebAssembly.Module(bytes), {}).exports;
    } catch (e) { return null; }
  })();

  // WebAssembly's memory holds each matrix A (a layer's weights) from the first time it
  // is multiplied, at a place of its own (`placed`); above the last one (`top`), each
  // call's B and output. Growing the memory moves nothing: places are offsets.
  var placed = new WeakMap(), top = 0;
  function room(bytes) {
    var pages = Math.ceil((bytes - wasm.memory.buffer.byteLength)/65536);
    if (pages > 0) wasm.memory.grow(pages);
  }
  function dotsWasm(A, lda, B, ldb, M, N, K, out) {
    var a = placed.get(A);
    if (a === undefined) {
      room(top + 8*A.length);
      new Float64Array(wasm.memory.buffer, top, A.length).set(A);
      placed.set(A, a = top);
      top += 8*A.length;
    }
    var nb = (N - 1)*ldb + K, b = top, o = top + 8*nb;
    room(o + 8*M*N);
    var mem = new Float64Array(wasm.memory.buffer);
    mem.set(B.subarray(0, nb), b/8);
    wasm.dots(a, lda, b, ldb, M, N, K, o);
    out.set(mem.subarray(o/8, o/8 + M*N));
    return out;
  }
  var dots = wasm ? dotsWasm : dotsJS;

  // The layers: each returns its output's shape and f(h, C), the layer without its bias
  // on the first C channels of its input h (of `shape`, the label's channels counted).

  // A linear layer, w: (out, in). `many` runs it on N inputs at once, H (N, C): the
  // kernel's two rows of B are then two inputs, and every weight loaded serves both.
  function linear(o, shape) {
    var out = new Float64Array(o.out);
    return {shape: [o.out], f: function (h, C) {
      return dots(o.w, shape[0], h, C, o.out, 1, C, out);
    }, many: function (H, N, C) {  // (out, N): output m of input n at m*N + n
      return dots(o.w, shape[0], H, C, o.out, N, C, new Float64Array(o.out*N));
    }};
  }

  // A convolution is its weights (out, in, k, k), a matrix (out, in*k*k), times its
  // input as patches, a matrix (pixels of the output, in*k*k): the k x k window of
  // every input channel that each output pixel sees, 0 where it hangs over the edge.
  // The input is copied with one 0 after it, where the padding's numbers come from.
  function conv(o, shape) {
    var C = shape[0], H = shape[1], W = shape[2], k = o.k, st = o.stride, p = o.pad;
    var Ho = Math.floor((H + 2*p - k)/st) + 1, Wo = Math.floor((W + 2*p - k)/st) + 1;
    var ck = C*k*k, P = Ho*Wo, zero = C*H*W, hz = new Float64Array(zero + 1);
    var from = new Int32Array(P*ck), patches = new Float64Array(P*ck);
    var out = new Float64Array(o.out*P);
    // where each number of the patches comes from in h, or `zero` (the padding): once
    for (var y = 0; y < Ho; y++) for (var x = 0; x < Wo; x++) {
      for (var c = 0; c < C; c++) for (var i = 0; i < k; i++) {
        for (var j = 0; j < k; j++) {
          var yi = y*st + i - p, xj = x*st + j - p;
          var inside = yi >= 0 && yi < H && xj >= 0 && xj < W;
          from[(y*Wo + x)*ck + (c*k + i)*k + j] = inside ? (c*H + yi)*W + xj : zero;
        }
      }
    }
    return {shape: [o.out, Ho, Wo], f: function (h, n) {
      hz.set(h.subarray(0, n*H*W));
      for (var q = 0; q < P; q++) {
        for (var r = q*ck, end = r + n*k*k; r < end; r++) patches[r] = hz[from[r]];
      }
      return dots(o.w, ck, patches, ck, o.out, P, n*k*k, out);
    }};
  }

  // A transposed convolution is its weights (in, out, k, k), transposed once to a
  // matrix (out*k*k, in), times its input transposed, (pixels, in); each of the
  // products goes to output pixel (y*stride - pad + i, x*stride - pad + j), or, off the
  // output, to one more number after it, which is dropped.
  function convT(o, shape) {
    var C = shape[0], H = shape[1], W = shape[2], k = o.k, st = o.stride, p = o.pad;
    var R = o.out*k*k, P = H*W, Ho = (H - 1)*st - 2*p + k, Wo = (W - 1)*st - 2*p + k;
    var w = new Float64Array(R*C), ht = new Float64Array(P*C);
    var to = new Int32Array(R*P), products = new Float64Array(R*P), off = o.out*Ho*Wo;
    var sums = new Float64Array(off + 1), out = sums.subarray(0, off);
    for (var c = 0; c < C; c++) for (var r = 0; r < R; r++) w[r*C + c] = o.w[c*R + r];
    // where each product goes in the output, or -1 (outside it): once
    for (var a = 0; a < o.out; a++) for (var i = 0; i < k; i++) {
      for (var j = 0; j < k; j++) for (var y = 0; y < H; y++) {
        for (var x = 0; x < W; x++) {
          var yo = y*st - p + i, xo = x*st - p + j;
          var inside = yo >= 0 && yo < Ho && xo >= 0 && xo < Wo;
          to[((a*k + i)*k + j)*P + y*W + x] = inside ? (a*Ho + yo)*Wo + xo : off;
        }
      }
    }
    return {shape: [o.out, Ho, Wo], f: function (h, n) {
      for (var c = 0; c < n; c++) for (var q = 0; q < P; q++) ht[q*C + c] = h[c*P + q];
      dots(w, C, ht, C, R, P, n, products);
      sums.fill(0);
      for (var e = 0; e < R*P; e++) sums[to[e]] += products[e];
      return out;
    }};
  }

  // How many numbers a tensor of `shape` holds.
  function size(shape) { return shape.reduce(function (a, b) { return a*b; }); }

  // The one-hot label appended as K features, or as K constant channels:
  // vae.with_label.
  function withLabel(h, shape, digit, K) {
    var n = shape.length === 1 ? 1 : shape[1]*shape[2];  // numbers a feature or channel
    var out = new Float64Array(h.length + K*n);
    out.set(h);
    out.fill(1, h.length + digit*n, h.length + (digit + 1)*n);
    if (shape.length === 1) return [out, [shape[0] + K]];
    return [out, [shape[0] + K, shape[1], shape[2]]];
  }

  // A layer is affine, so on its input h with the label appended it gives f(h) plus the
  // same layer on zeros with the label appended, bias included: that offset is computed
  // once per digit (once for a model without labels), and the label's features or
  // channels are never multiplied again.
  function offsets(L, shape, K, bias) {
    var cache = [], m = L.shape.length === 1 ? 1 : L.shape[1]*L.shape[2];
    return function (digit) {
      if (cache[digit]) return cache[digit];
      var zeros = new Float64Array(size(shape));
      var x = withLabel(zeros, shape, digit, K);
      var y = Float64Array.from(L.f(x[0], shape[0] + K));
      for (var i = 0; i < y.length; i++) y[i] += bias[Math.floor(i/m)];
      return (cache[digit] = y);
    };
  }

  var layers = {linear: linear, conv: conv, convT: convT};

  // Operations of `decoder_ops` or `encoder_ops` on an input of `shape`, prepared once:
  // run(x, digit) runs them in turn, each layer's product, its offset for the digit,
  // and the activations in place, and returns what the last one gives. run.many(xs,
  // digits) does the same for N inputs at once (linear layers as one product), and
  // run.many(x, digits, true) for one input x with N digits, its first layer's product
  // computed once.
  function program(ops, shape, nClasses) {
    var K = 0, steps = [], labelled = false;
    ops.forEach(function (o) {
      if (o.op === 'label') K = nClasses;  // appended to the next layer's input
      else if (o.op === 'reshape') shape = o.shape;
      else if (o.op === 'flatten') shape = [size(shape)];  // the same numbers, in a row
      else if (layers[o.op]) {
        var input = [shape[0] + K].concat(shape.slice(1));  // the shape, label appended
        var L = layers[o.op](Object.assign({}, o, {w: tensor(o.w)}), input);
        var offset = offsets(L, shape, K, tensor(o.b));
        steps.push({f: L.f, many: L.many, C: shape[0], offset: offset, labels: K > 0});
        labelled = labelled || K > 0;
        shape = L.shape;
        K = 0;
      }
      else if (o.op === 'relu') steps.push({slope: 0});
      else if (o.op === 'leaky_relu') steps.push({slope: o.slope});
      else if (o.op === 'tanh') steps.push({tanh: true});
      else throw new Error('no operation ' + o.op + ' in this runtime');
    });
    function check(digit) {
      if (labelled && !(digit >= 0 && digit < nClasses && digit % 1 === 0)) {
        throw new Error('the model is conditional: give a digit 0-' + (nClasses - 1) +
                        ', not ' + digit);
      }
    }
    // hs: N arrays, each an input's numbers; a layer's offset added for each digit
    function layer(s, hs, digits) {
      var N = hs.length, out;
      if (s.many && N > 1) {  // one product (out, N) for the N inputs
        var H = new Float64Array(N*s.C);
        hs.forEach(function (h, n) { H.set(h.subarray(0, s.C), n*s.C); });
        var P = s.many(H, N, s.C), M = P.length/N;
        out = hs.map(function (h, n) {
          var o = new Float64Array(M);
          for (var m = 0; m < M; m++) o[m] = P[m*N + n];
          return o;
        });
      }
      else out = hs.map(function (h) { return Float64Array.from(s.f(h, s.C)); });
      out.forEach(function (h, n) {
        var b = s.offset(s.labels ? digits[n] : 0);
        for (var i = 0; i < h.length; i++) h[i] += b[i];
      });
      return out;
    }
    function activate(s, h) {
      if (s.tanh) { for (var i = 0; i < h.length; i++) h[i] = Math.tanh(h[i]); }
      else if (s.slope >= 0 && s.slope <= 1) {  // a (leaky) ReLU: max(h, slope h)
        for (var j = 0; j < h.length; j++) h[j] = Math.max(h[j], s.slope*h[j]);
      }
      else { for (var l = 0; l < h.length; l++) if (h[l] < 0) h[l] *= s.slope; }
    }
    function many(xs, digits, shared) {
      digits.forEach(check);
      var first = 0, hs;
      if (shared && steps[0] && steps[0].f) {  // one input: its product once, N offsets
        var p = steps[0].f(Float64Array.from(xs), steps[0].C);
        hs = digits.map(function () { return Float64Array.from(p); });
        hs.forEach(function (h, n) {
          var b = steps[0].offset(steps[0].labels ? digits[n] : 0);
          for (var i = 0; i < h.length; i++) h[i] += b[i];
        });
        first = 1;
      }
      else {
        hs = digits.map(function (d, n) {
          return Float64Array.from(shared ? xs : xs[n]);
        });
      }
      for (var k = first; k < steps.length; k++) {
        if (steps[k].f) hs = layer(steps[k], hs, digits);
        else hs.forEach(function (h) { activate(steps[k], h); });
      }
      return hs;
    }
    function run(x, digit) { return many([x], [digit])[0]; }
    run.many = many;
    return run;
  }

  // A model's decoder, prepared once: decode(z, digit) gives the 784 pixel
  // probabilities of the code z (and digit), or their logits if its third argument is
  // true.
  function decoder(model) {
    var run = program(model.ops, [model.latent_dim], model.n_classes);
    function decode(z, digit, logits) {
      if (z.length !== model.latent_dim) {
        throw new Error('z must have ' + model.latent_dim + ' numbers');
      }
      var h = run(z, digit);
      if (logits) return Array.from(h);
      return Array.from(h, function (v) { return 1/(1 + Math.exp(-v)); });
    }
    // the logits (Float64Arrays) of N codes and their digits at once
    decode.many = function (zs, digits) {
      zs.forEach(function (z) {
        if (z.length !== model.latent_dim) {
          throw new Error('z must have ' + model.latent_dim + ' numbers');
        }
      });
      return run.many(zs, digits);
    };
    return decode;
  }

  // A model's encoder (a spec made with `model_spec(model, encoder=True)`), prepared
  // once: encode(pixels, digit) gives the mean and log-variance of q(z|x) (or
  // q(z|x, y)) of 784 grey values in [0, 1], row after row: the last layer's output
  // cut in two, as the models' `chunk(2, dim=1)`.
  function encoder(model) {
    if (!model.encoder) {
      throw new Error('this model has no encoder: make it with model_spec(model, ' +
                      'encoder=True)');
    }
    var run = program(model.encoder, [1, 28, 28], model.n_classes);
    var D = model.latent_dim;
    function checked(pixels) {
      if (!pixels || pixels.length !== 784) {
        throw new Error('pixels must be 784 numbers (28 x 28, row after row), not ' +
                        (pixels && pixels.length));
      }
      return pixels;
    }
    var q = function (h) { return {mu: h.slice(0, D), logvar: h.slice(D, 2*D)}; };
    function encode(pixels, digit) { return q(run(checked(pixels), digit)); }
    // one image with each of `digits`: its first layer's product computed once
    encode.many = function (pixels, digits) {
      return run.many(checked(pixels), digits, true).map(q);
    };
    return encode;
  }

  // The runtime's own functions of a model spec (window.cvaeModels[key], or the JSON
  // of a fragment's decoder), each prepared the first time it is asked for.
  var prepared = new WeakMap();
  function prepare(model, part, make) {
    var p = prepared.get(model) || {};
    prepared.set(model, p);
    return p[part] || (p[part] = make(model));
  }

  // The mean and log-variance (Float64Arrays of latent_dim numbers) of q(z|x) of
  // `pixels`, 784 grey values in [0, 1] (with its digit for a conditional model).
  function encode(model, pixels, digit) {
    return prepare(model, 'encode', encoder)(pixels, digit);
  }

  // The 784 logits (a Float64Array) of p(x|z) (or p(x|z, y)) of the code z.
  function decodeLogits(model, z, digit) {
    return Float64Array.from(prepare(model, 'decode', decoder)(z, digit, true));
  }

  // ---- Which digit is it? ----------------------------------------------------------
  // `digit_elbos`, `digit_posterior` and `read_digit` of the evaluation chapter
  // (nbs/06_evaluate.ipynb), in float64: the ELBO of the image under each digit y,
  //   rec_y = mean over the draws s of log p(x | z_ys, y), z_ys = mu_y + sigma_y eps_s,
  //   kl_y = KL(q(z|x, y) || N(0, I)),
  // with the draws eps (S, D) that the model spec carries (`fixed_draws`), and
  // p(y|x) = softmax(rec - kl) by Bayes' rule with p(y) = 1/10.

  // -log p(x|z) of 784 pixels x under Bernoulli logits l: softplus(l) - x l, summed.
  function bce(l, x) {
    var s = 0;
    for (var i = 0; i < l.length; i++) {
      var a = l[i];  // softplus(a) = max(a, 0) + log(1 + exp(-|a|)), without overflow
      s += Math.max(a, 0) + Math.log1p(Math.exp(-Math.abs(a))) - x[i]*a;
    }
    return s;
  }

  // The ELBO's two terms under every digit, and all that was computed on the way:
  // {rec, kl, q (one {mu, logvar} per digit), logits (of z_y0 for each digit y)}.
  function digitElbos(model, pixels) {
    if (!model.ops.some(function (o) { return o.op === 'label'; })) {
      throw new Error('p(y|x) needs a conditional model: this one has no digits');
    }
    var K = model.n_classes, D = model.latent_dim, eps = prepare(model, 'eps', draws);
    var S = eps.length/D, ys = [], zs = [], zd = [];
    for (var y = 0; y < K; y++) ys.push(y);
    var q = prepare(model, 'encode', encoder).many(pixels, ys);
    for (var s = 0; s < S; s++) {
      q.forEach(function (qy, y) {
        zs.push(qy.mu.map(function (m, d) {
          return m + Math.exp(0.5*qy.logvar[d])*eps[s*D + d];
        }));
        zd.push(y);
      });
    }
    var logits = prepare(model, 'decode', decoder).many(zs, zd);
    var rec = new Float64Array(K), kl = new Float64Array(K);
    logits.forEach(function (l, i) { rec[i % K] -= bce(l, pixels)/S; });
    q.forEach(function (qy, y) {
      for (var d = 0; d < D; d++) {
        var lv = qy.logvar[d];
        kl[y] += 0.5*(qy.mu[d]*qy.mu[d] + Math.exp(lv) - 1 - lv);
      }
    });
    return {rec: rec, kl: kl, q: q, z: zs.slice(0, K), logits: logits.slice(0, K)};
  }

  // The draws of eps of a model spec, (S, D) row after row: `fixed_draws(D)` of Python.
  function draws(model) {
    if (!model.eps) {
      throw new Error('this model has no draws of eps: make it with ' +
                      'model_spec(model, encoder=True)');
    }
    return tensor(model.eps);
  }

  // softmax(a): exp(a - max a), normalised.
  function softmax(a) {
    var top = Math.max.apply(null, a), e = Array.from(a, function (v) {
      return Math.exp(v - top);
    });
    var sum = e.reduce(function (u, v) { return u + v; });
    return Float64Array.from(e, function (v) { return v/sum; });
  }

  // p(y|x) from the ELBOs of `digitElbos`: softmax(rec - kl).
  function posterior(e) {
    return softmax(e.rec.map(function (r, y) { return r - e.kl[y]; }));
  }

  // p(y|x), ten numbers, of 784 pixels: `digit_posterior`.
  function digitPosterior(model, pixels) {
    return posterior(digitElbos(model, pixels));
  }

  // What the drawing pad shows of 784 pixels: `read_digit`. p(y|x) (`probs`), the
  // ELBO's terms under each digit (`rec`, `kl`), the digit it encodes with (`digit`:
  // the one given, or the one read) and q's `mu` and `logvar` given it, and `rewrite`,
  // the mean code decoded with each digit (10 x 784 probabilities; `rewriteLogits`
  // their logits). Besides: `z` and `reconstruction`, the draw that the ELBO's
  // reconstruction term scores for the digit, and its probabilities.
  function readDigit(model, pixels, digit) {
    var K = model.n_classes;
    if (digit !== undefined && digit !== null &&
        !(digit >= 0 && digit < K && digit % 1 === 0)) {
      throw new Error('digit must be 0-' + (K - 1) + ', not ' + digit);
    }
    var e = digitElbos(model, pixels), probs = posterior(e);
    var d = digit;
    if (d === undefined || d === null) {  // the first of the largest, as torch's argmax
      d = 0;
      for (var y = 1; y < K; y++) if (probs[y] > probs[d]) d = y;
    }
    var mu = e.q[d].mu, ys = [];
    for (y = 0; y < K; y++) ys.push(y);
    var rewriteLogits = prepare(model, 'decode', decoder).many(ys.map(function () {
      return mu;
    }), ys);
    var sigmoid = function (l) {
      return Float64Array.from(l, function (v) { return 1/(1 + Math.exp(-v)); });
    };
    return {probs: probs, rec: e.rec, kl: e.kl, digit: d, mu: mu, logvar: e.q[d].logvar,
            rewrite: rewriteLogits.map(sigmoid), rewriteLogits: rewriteLogits,
            z: e.z[d], reconstruction: sigmoid(e.logits[d])};
  }

  // ---- Codes ------------------------------------------------------------------------
  // Principal axes, random normals, paths between two codes (as `z_from_sliders` and
  // `interpolate` in Python).

  // Slider values -> z: the axes of z, or principal axes in standard deviations.
  function codeOf(s, basis) {
    if (!basis) return s.slice();
    var z = Array.from(basis.mean), D = z.length;
    for (var i = 0; i < s.length; i++) {
      for (var d = 0; d < D; d++) z[d] += s[i]*basis.sd[i]*basis.axes[i*D + d];
    }
    return z;
  }

  // mulberry32: a small seeded generator of numbers in [0, 1).
  function uniform(seed) {
    return function () {
      seed = (seed + 0x6D2B79F5) | 0;
      var t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0)/4294967296;
    };
  }

  // A standard normal number from two uniform ones (Box-Muller).
  function normal(u) {
    return Math.sqrt(-2*Math.log(1 - u()))*Math.cos(2*Math.PI*u());
  }

  // The code at t in [0, 1] on a straight line from z0 to z1, or on a great circle
  // ('slerp').
  function interpolate(z0, z1, t, method) {
    if (method === 'slerp') {
      var dot = 0, n0 = 0, n1 = 0;
      for (var i = 0; i < z0.length; i++) {
        dot += z0[i]*z1[i];
        n0 += z0[i]*z0[i];
        n1 += z1[i]*z1[i];
      }
      var omega = Math.acos(Math.min(1, Math.max(-1, dot/Math.sqrt(n0*n1))));
      if (omega >= 1e-6) {  // else (nearly) the same direction: the line is the arc
        var a = Math.sin((1 - t)*omega)/Math.sin(omega);
        var b = Math.sin(t*omega)/Math.sin(omega);
        return z0.map(function (v, i) { return a*v + b*z1[i]; });
      }
    }
    return z0.map(function (v, i) { return (1 - t)*v + t*z1[i]; });
  }

  // ---- Pictures ---------------------------------------------------------------------
  // Digits as tiles 2 pixels apart, dark on white, `ncol` a row, as `tile_images` lays
  // them out; the canvas is shown `scale` times larger, without smoothing (the style
  // sheet's `pixelated`).
  function drawTiles(canvas, images, ncol, scale) {
    var cols = Math.min(ncol, images.length), rows = Math.ceil(images.length/cols);
    var W = cols*30 + 2, H = rows*30 + 2;
    canvas.width = W;
    canvas.height = H;
    canvas.style.width = W*scale + 'px';
    var ctx = canvas.getContext('2d'), img = ctx.createImageData(W, H);
    img.data.fill(255);
    images.forEach(function (p, k) {
      var x0 = 2 + (k % cols)*30, y0 = 2 + Math.floor(k/cols)*30;
      for (var i = 0; i < 784; i++) {
        var q = 4*((y0 + Math.floor(i/28))*W + x0 + i % 28);
        img.data[q] = img.data[q + 1] = img.data[q + 2] = Math.round(255*(1 - p[i]));
      }
    });
    ctx.putImageData(img, 0, 0);
  }

  // ---- Drawings as MNIST digits -----------------------------------------------------
  // `mnist_format` of the data chapter (nbs/01_data.ipynb derives it from MNIST's own
  // description and measures its choices on MNIST's digits), step by step, in the same
  // float64 arithmetic: the ink's bounding box, scaled by the area-weighted box filter
  // so that its longer side is 20 pixels, then moved by whole pixels into 28 x 28 so
  // that the pixel holding its centre of mass is (14, 14). tests/test_web.py checks
  // that the two agree.

  // `box_weights(n, m)`, its nonzero part: for each output pixel i, the first input
  // pixel it covers and the weights from there; i is the mean of the input over
  // [i n/m, (i+1) n/m).
  function boxWeights(n, m) {
    var rows = [];
    for (var i = 0; i < m; i++) {
      var a = i*n/m, b = (i + 1)*n/m, first = Math.floor(a), w = [];
      for (var j = first; j < Math.min(n, Math.ceil(b)); j++) {
        w.push(Math.max(Math.min(b, j + 1) - Math.max(a, j), 0)*m/n);
      }
      rows.push({first: first, w: w});
    }
    return rows;
  }

  // The ink (row-major, `width` a row) checked as `_as_ink` does; its bounding box.
  function inkBox(ink, width, height) {
    var whole = function (v) { return typeof v === 'number' && v >= 1 && v % 1 === 0; };
    if (!whole(width) || !whole(height)) {
      throw new Error('mnistFormat: width and height must be whole numbers >= 1, not ' +
                      width + ' and ' + height);
    }
    if (!ink || ink.length !== width*height) {
      throw new Error('mnistFormat: ' + width + ' x ' + height + ' pixels need ' +
                      width*height + ' ink values, not ' + (ink && ink.length));
    }
    var lo = Infinity, hi = -Infinity, box = {top: height, bottom: -1, left: width,
                                              right: -1};
    for (var y = 0; y < height; y++) for (var x = 0; x < width; x++) {
      var v = ink[y*width + x];
      if (v !== v) throw new Error('mnistFormat: ink has NaN values');
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
      if (v > 0) {
        box.top = Math.min(box.top, y);
        box.bottom = y;
        box.left = Math.min(box.left, x);
        box.right = Math.max(box.right, x);
      }
    }
    if (lo < 0 || hi > 1) {
      throw new Error('mnistFormat: ink must be in [0, 1] (0 paper, 1 ink), not in [' +
                      lo + ', ' + hi + ']; bytes? divide by 255');
    }
    if (box.bottom < 0) {
      throw new Error('mnistFormat: no ink: the drawing is empty (all 0)');
    }
    return box;
  }

  // The ink of a canvas, {ink, width, height}: its pixels' opacity in [0, 1] (0 paper,
  // 1 ink), row after row, whatever colour they were drawn in.
  function canvasInk(canvas) {
    var W = canvas.width, H = canvas.height;
    var rgba = canvas.getContext('2d').getImageData(0, 0, W, H).data;
    var ink = new Float64Array(W*H);
    for (var i = 0; i < W*H; i++) ink[i] = rgba[4*i + 3]/255;
    return {ink: ink, width: W, height: H};
  }

  // A canvas drawn on -> the 784 pixels of an MNIST digit: mnistFormat of its ink.
  function canvasPixels(canvas) {
    var c = canvasInk(canvas);
    return mnistFormat(c.ink, c.width, c.height);
  }

  // A drawing -> the 784 pixels (row-major) of an MNIST digit, as `mnist_format`: `ink`
  // is width x height numbers in [0, 1] (0 paper, 1 ink), row after row.
  function mnistFormat(ink, width, height) {
    var box = inkBox(ink, width, height);
    var h = box.bottom - box.top + 1, w = box.right - box.left + 1, L = Math.max(h, w);
    // the longer side 20 pixels, the shorter in proportion, halves rounded up
    var H = Math.max(1, Math.floor(20*h/L + 0.5));
    var W = Math.max(1, Math.floor(20*w/L + 0.5));
    var ry = boxWeights(h, H), rx = boxWeights(w, W);
    // the crop's rows scaled across (h, W), then down the columns (H, W)
    var across = new Float64Array(h*W), a = new Float64Array(H*W);
    for (var j = 0; j < h; j++) for (var c = 0; c < W; c++) {
      var s = 0, row = (box.top + j)*width + box.left + rx[c].first;
      for (var k = 0; k < rx[c].w.length; k++) s += ink[row + k]*rx[c].w[k];
      across[j*W + c] = s;
    }
    var mass = 0, my = 0, mx = 0;
    for (var r = 0; r < H; r++) for (c = 0; c < W; c++) {
      s = 0;
      for (k = 0; k < ry[r].w.length; k++) {
        s += across[(ry[r].first + k)*W + c]*ry[r].w[k];
      }
      s = Math.min(1, Math.max(0, s));  // the weights sum to 1 up to rounding
      a[r*W + c] = s;
      mass += s;
      my += r*s;
      mx += c*s;
    }
    // moved by whole pixels: the pixel holding the centre of mass to (14, 14); a centre
    // within 1e-9 below a half pixel counts as on it, as in Python (`_TIE`)
    var top = 14 - Math.floor(my/mass + 0.5 + 1e-9);
    var left = 14 - Math.floor(mx/mass + 0.5 + 1e-9);
    var out = new Float64Array(784);
    for (r = 0; r < H; r++) for (c = 0; c < W; c++) {
      var y = top + r, x = left + c;
      // what falls outside the field is cut off
      if (y >= 0 && y < 28 && x >= 0 && x < 28) out[y*28 + x] = a[r*W + c];
    }
    return out;
  }

  // ---- The explorers ----------------------------------------------------------------
  // One per kind (`data-kind`): each is given the explorer's spec, the state of its
  // controls (`st`), the decoder and the canvases, and returns the function that turns
  // the state into codes, decodes them and draws: what it returns, {z, digits, images},
  // the tests compare with PyTorch.
  var kinds = {
    // latent_explorer_html: one code, from the sliders
    latent: function (spec, st, decode, canvases) {
      var basis = spec.basis && {mean: tensor(spec.basis.mean),
                                 axes: tensor(spec.basis.axes),
                                 sd: tensor(spec.basis.sd)};
      return function () {
        var z = [codeOf(st.sliders(), basis)], ds = [st.digit];
        var images = [decode(z[0], st.digit)];
        drawTiles(canvases[0], images, 1, 7);
        return {z: z, digits: ds, images: images};
      };
    },
    // samples_explorer_html: codes drawn from N(0, temperature^2 I), one digit
    samples: function (spec, st, decode, canvases) {
      return function () {
        var u = uniform(st.seed), z = [], ds = [];
        for (var k = 0; k < st.samples; k++) {
          z.push(Array.from({length: spec.latent_dim},
                            function () { return normal(u)*st.temperature; }));
          ds.push(st.digit);
        }
        var images = z.map(function (c) { return decode(c, st.digit); });
        drawTiles(canvases[0], images, 8, 2);
        return {z: z, digits: ds, images: images};
      };
    },
    // interpolation_explorer_html: a strip of codes between two test images' codes, and
    // the one at t; the ends are picked by digit (`from_digit`, `to_digit`), the first
    // test image of each
    interpolation: function (spec, st, decode, canvases) {
      var D = spec.latent_dim, codes = tensor(spec.codes), pics = tensor(spec.images);
      var code = function (i) { return Array.from(codes.subarray(i*D, (i + 1)*D)); };
      var pic = function (i) {
        var bytes = pics.subarray(i*784, (i + 1)*784);
        return Array.from(bytes, function (v) { return v/255; });
      };
      return function () {
        var a = code(st.from_digit), b = code(st.to_digit);
        var digit = spec.labels[st.from_digit];
        var z = [], ds = [];
        for (var k = 0; k < spec.steps; k++) {
          z.push(interpolate(a, b, k/(spec.steps - 1), st.method));
        }
        z.push(interpolate(a, b, st.t, st.method));
        z.forEach(function () { ds.push(digit); });
        var images = z.map(function (c) { return decode(c, digit); });
        var path = images.slice(0, -1);
        var strip = [pic(st.from_digit)].concat(path, [pic(st.to_digit)]);
        drawTiles(canvases[0], strip, spec.steps + 2, 2);
        drawTiles(canvases[1], images.slice(-1), 1, 5);
        return {z: z, digits: ds, images: images};
      };
    },
    // manifold_explorer_html: an n x n grid of codes (`latent_grid`), one digit
    manifold: function (spec, st, decode, canvases) {
      var grid = tensor(spec.grid);
      return function () {
        var z = [], ds = [];
        for (var k = 0; k < spec.n*spec.n; k++) {
          z.push([grid[2*k], grid[2*k + 1]]);
          ds.push(st.digit);
        }
        var images = z.map(function (c) { return decode(c, st.digit); });
        drawTiles(canvases[0], images, spec.n, 1);
        return {z: z, digits: ds, images: images};
      };
    },
    // draw_explorer_html: a pad, and what the model reads in the drawing, redrawn as
    // the pen moves: p(y|x), the input and its reconstruction, the rewrites, and for a
    // 2-D model where q puts the drawing on the manifold. `ex`: the model, the root.
    draw: function (spec, st, decode, canvases, ex) {
      var pad = canvases[0], model = ex.model, pending = false, pen = null, grids = {};
      var ctx = pad.getContext('2d', {willReadFrequently: true});
      var note = ex.root.querySelector('.cvae-note');
      var panels = Array.from(ex.root.querySelectorAll('.cvae-panel'));
      var flat = ex.root.querySelector('.cvae-panel[data-latent]');  // the 2-D map's
      ex.self.ink = function () { return canvasInk(pad); };
      var schedule = function () {  // one redraw a frame, however many pointer events
        if (pending) return;
        pending = true;
        requestAnimationFrame(function () { pending = false; ex.self.draw(); });
      };
      // the pointer's position in the canvas's own pixels (the pad's by default)
      var at = function (e, c) {
        c = c || pad;
        var r = c.getBoundingClientRect();
        return [(e.clientX - r.left - c.clientLeft)*c.width/c.clientWidth,
                (e.clientY - r.top - c.clientTop)*c.height/c.clientHeight];
      };
      var dot = function (p) {
        ctx.beginPath();
        ctx.arc(p[0], p[1], spec.pen/2, 0, 2*Math.PI);
        ctx.fill();
      };
      pad.addEventListener('pointerdown', function (e) {
        e.preventDefault();
        pad.setPointerCapture(e.pointerId);
        pen = at(e);
        dot(pen);
        schedule();
      });
      pad.addEventListener('pointermove', function (e) {
        if (!pen) return;
        var p = at(e);
        ctx.lineWidth = spec.pen;
        ctx.lineCap = ctx.lineJoin = 'round';
        ctx.beginPath();
        ctx.moveTo(pen[0], pen[1]);
        ctx.lineTo(p[0], p[1]);
        ctx.stroke();
        pen = p;
        schedule();
      });
      ['pointerup', 'pointercancel'].forEach(function (type) {
        pad.addEventListener(type, function () { pen = null; });
      });
      var clear = ex.root.querySelector('button[value="clear"]');
      clear.addEventListener('click', function () {
        ctx.clearRect(0, 0, pad.width, pad.height);
      });
      // a click on a rewrite encodes with its digit
      canvases[3].addEventListener('click', function (e) {
        var k = Math.floor((at(e, canvases[3])[0] - 2)/30);
        var b = ex.root.querySelector('button[data-group="digit"][value="' + k + '"]');
        if (b) b.click();
      });
      // the decoded grid of the 2-D model, once per digit
      var grid = tensor(spec.grid);
      var manifold = function (d) {  // per model and digit
        var key = model.name + ' ' + d;
        if (grids[key]) return grids[key];
        var zs = [], ds = [];
        for (var k = 0; k < spec.n*spec.n; k++) {
          zs.push([grid[2*k], grid[2*k + 1]]);
          ds.push(d);
        }
        return (grids[key] = decode.many(zs, ds).map(function (l) {
          return l.map(function (v) { return 1/(1 + Math.exp(-v)); });
        }));
      };
      var empty = function (why) {
        panels.forEach(function (p) { p.hidden = true; });
        note.textContent = why;
        return {z: [], digits: [], images: [], empty: true, model: model.name};
      };
      return function () {
        if (st.model !== model.name) {  // another model asked for: load it, then redraw
          note.textContent = 'loading ' + st.model + '...';
          load(st.model).then(function (m) {
            model = ex.model = m;
            decode = ex.self.decode = prepare(m, 'decode', decoder);
            ex.self.model = m.name;
            ex.self.draw();
          }, function (err) { note.textContent = err.message; });
          return ex.self.last;
        }
        var t0 = performance.now(), ink = canvasInk(pad), pixels;
        if (!ink.ink.some(function (v) { return v > 0; })) {
          return empty('Draw a digit in the box, with a mouse, a pen or a finger: ' +
                       'the model reads it as you draw.');
        }
        pixels = mnistFormat(ink.ink, ink.width, ink.height);
        var r = readDigit(model, pixels, st.digit === 'read' ? null : st.digit);
        var K = model.n_classes, ys = [], z = [], images = r.rewrite.slice();
        for (var y = 0; y < K; y++) { ys.push(y); z.push(Array.from(r.mu)); }
        z.push(Array.from(r.z));
        images.push(r.reconstruction);
        panels.forEach(function (p) { p.hidden = false; });
        flat.hidden = model.latent_dim !== 2;
        drawBars(canvases[1], r.probs, r.digit);
        drawTiles(canvases[2], [pixels, r.reconstruction], 2, 3);
        drawTiles(canvases[3], r.rewrite, K, 2);
        if (!flat.hidden) drawPlace(canvases[4], manifold(r.digit), spec.n, grid, r);
        var top = 0;
        for (y = 1; y < K; y++) if (r.probs[y] > r.probs[top]) top = y;
        var elbo = r.rec[r.digit] - r.kl[r.digit], f = function (v) {
          return v.toFixed(1).replace('-', '\u2212');
        };
        note.textContent = 'Reads ' + top + ' (p = ' + r.probs[top].toFixed(3) +
          '). Encoded with ' + r.digit + ': ELBO ' + f(elbo) + ' nats = ' +
          'reconstruction ' + f(r.rec[r.digit]) + ' \u2212 KL ' + f(r.kl[r.digit]) +
          '.';
        return {z: z, digits: ys.concat([r.digit]), images: images, pixels: pixels,
                read: r, model: model.name, ms: performance.now() - t0};
      };
    }
  };

  // Ten bars of p(y|x), the digit encoded with in blue, each digit under its bar.
  function drawBars(canvas, probs, digit) {
    var W = canvas.width = 300, H = canvas.height = 110, ctx = canvas.getContext('2d');
    ctx.clearRect(0, 0, W, H);
    ctx.font = '12px system-ui, sans-serif';
    ctx.textAlign = 'center';
    for (var y = 0; y < probs.length; y++) {
      var h = Math.round(probs[y]*86), x = y*30 + 4;
      ctx.fillStyle = y === digit ? '#2c6fbb' : '#999';
      ctx.fillRect(x, 90 - h, 22, Math.max(h, 1));
      ctx.fillStyle = '#222';
      ctx.fillText(String(y), x + 11, 104);
    }
  }

  // Where a value falls among the grid's sorted values `qs`, as a fractional index:
  // piecewise linear between them, and along the end pieces beyond them.
  function place(v, qs) {
    var i = 0;
    while (i < qs.length - 2 && v > qs[i + 1]) i++;
    return i + (v - qs[i])/(qs[i + 1] - qs[i]);
  }

  // The 2-D model's decoded grid, and over it q's mean (a dot) and the ellipse of its
  // standard deviations, mapped onto the tiles as the grid's codes are.
  function drawPlace(canvas, images, n, grid, r) {
    drawTiles(canvas, images, n, 1);
    var qs = [];
    for (var i = 0; i < n; i++) qs.push(grid[2*i]);  // z1 of the first row: ascending
    var xy = function (z1, z2) {  // z2 grows upwards: the rows go down
      return [16 + 30*place(z1, qs), 16 + 30*(n - 1 - place(z2, qs))];
    };
    var ctx = canvas.getContext('2d'), sd = Array.from(r.logvar, function (v) {
      return Math.exp(0.5*v);
    });
    ctx.strokeStyle = ctx.fillStyle = '#d62728';
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (var k = 0; k <= 48; k++) {
      var a = 2*Math.PI*k/48;
      var p = xy(r.mu[0] + sd[0]*Math.cos(a), r.mu[1] + sd[1]*Math.sin(a));
      if (k) ctx.lineTo(p[0], p[1]); else ctx.moveTo(p[0], p[1]);
    }
    ctx.stroke();
    var c = xy(r.mu[0], r.mu[1]);
    ctx.beginPath();
    ctx.arc(c[0], c[1], 4, 0, 2*Math.PI);
    ctx.fill();
  }

  // ---- Shipped models by name -------------------------------------------------------
  // A pad's fragment names the shipped models it offers (its spec's `models`: a name ->
  // the keys of its decoder's part and its encoder's). Each part is a `cvae-model`
  // script of the fragment with its key, or, on the site, a script models/KEY.js that
  // registers it as window.cvaeModels[KEY]: fetched the first time it is needed.
  var catalog = {}, parts = {}, models = {};

  // The models a fragment offers, by name: a pad's, decoder and encoder, or any other
  // explorer's shipped model, its decoder alone (unless a pad offers it whole).
  function register(root, spec) {
    var offers = spec.models || {};
    if (!spec.models && root.dataset.model) {
      offers[root.dataset.model] = [root.dataset.modelKey];
    }
    Object.keys(offers).forEach(function (name) {
      var had = catalog[name];
      if (!had || had.keys.length < offers[name].length) {
        catalog[name] = {keys: offers[name], root: root};
      }
    });
  }

  // The part of a model named `key`: already registered, inline, or a script to fetch.
  function part(key, root) {
    var have = window.cvaeModels = window.cvaeModels || {};
    if (have[key]) return Promise.resolve(have[key]);
    var sel = 'script.cvae-model[data-key="' + key + '"]';
    var inline = root.querySelector(sel) || document.querySelector(sel);
    if (inline) return Promise.resolve(have[key] = JSON.parse(inline.textContent));
    var src = (root.dataset.models || 'models/') + key + '.js';
    parts[key] = parts[key] || new Promise(function (ok, fail) {
      var s = document.createElement('script');
      s.onload = function () { ok(have[key]); };
      s.onerror = function () { fail(new Error('could not load ' + src)); };
      s.src = src;
      document.head.appendChild(s);
    });
    return parts[key];
  }

  // A shipped model that an explorer on the page shows, by name ('cvae', 'cvae2d',
  // ...): a promise of its spec, as `model_spec(model, encoder=True)` if a pad offers
  // it (its decoder, encoder and draw of eps), else as `model_spec(model)` (its
  // decoder).
  function load(name) {
    var c = catalog[name];
    if (!c) {
      return Promise.reject(new Error('no model ' + name + ' on this page; there ' +
                                      'are: ' + Object.keys(catalog).join(', ')));
    }
    models[name] = models[name] || Promise.all(c.keys.map(function (k) {
      return part(k, c.root);
    })).then(function (ps) { return Object.assign({name: name}, ps[0], ps[1]); });
    return models[name];
  }

  // ---- Starting an explorer ---------------------------------------------------------
  // Per decoder: one copy, one request, however many explorers use it.
  var decoders = {};

  // The decoder, from the fragment, or (on the site) from its script in models/.
  function loadDecoder(root) {
    var key = root.dataset.modelKey;
    return part(key, root).then(function (spec) {
      return (decoders[key] = decoders[key] || decoder(spec));
    });
  }

  // Call f at once, or when the explorer comes within a screen of the window: weights
  // on demand.
  function whenNear(root, f) {
    if (root.querySelector('.cvae-model') || !window.IntersectionObserver) return f();
    var seen = new IntersectionObserver(function (es) {
      if (es.some(function (e) { return e.isIntersecting; })) {
        seen.disconnect();
        f();
      }
    }, {rootMargin: '100% 0px'});
    seen.observe(root);
  }

  // Each fragment ends by calling mount on its own id (the JupyterLab widget, on its
  // element, which may not be in the document yet).
  // A pad loads its model, decoder and encoder, by name.
  function mount(id) {
    var root = typeof id === 'string' ? document.getElementById(id) : id;
    var note = root.querySelector('.cvae-note');
    var spec = JSON.parse(root.querySelector('.cvae-spec').textContent);
    register(root, spec);
    whenNear(root, function () {
      note.textContent = 'loading the model...';
      var ready = root.dataset.kind === 'draw'
        ? load(spec.state.model).then(function (m) {
          return [prepare(m, 'decode', decoder), m];
        })
        : loadDecoder(root).then(function (decode) { return [decode]; });
      ready.then(function (r) { note.textContent = ''; start(root, r[0], r[1]); },
                 function (err) { note.textContent = err.message; throw err; });
    });
  }

  // Wire the controls to the state and the state to the drawing, and register the
  // explorer as window.cvaeExplorers[id]: {kind, model, decode, draw, last} (and
  // interpolate, for the tests; a pad's `ink()` too). `model`: a pad's model spec.
  function start(root, decode, model) {
    var id = root.id, spec = JSON.parse(root.querySelector('.cvae-spec').textContent);
    var canvases = Array.from(root.querySelectorAll('canvas'));
    var buttons = Array.from(root.querySelectorAll('button'));
    var sliders = Array.from(root.querySelectorAll('input[type=range]'));
    var axes = sliders.filter(function (s) { return s.hasAttribute('data-axis'); });
    var st = Object.assign({seed: 0}, spec.state);  // what the controls say
    st.sliders = function () {
      return axes.map(function (s) { return parseFloat(s.value); });
    };
    var self = {kind: root.dataset.kind, model: root.dataset.model, decode: decode};
    var ex = {root: root, self: self, model: model};
    var redraw = kinds[self.kind](spec, st, decode, canvases, ex);
    self.draw = function () {
      sliders.forEach(function (s) {
        st[s.name] = parseFloat(s.value);
        var shown = parseFloat(s.value).toFixed(s.step < 1 ? 2 : 0);
        s.nextElementSibling.textContent = shown;  // the <output> beside the slider
      });
      buttons.forEach(function (b) {
        var group = b.dataset.group;
        if (group) b.classList.toggle('cvae-on', String(st[group]) === b.value);
      });
      self.last = redraw();  // {z, digits, images}: codes decoded, probabilities drawn
      // for whoever listens: the JupyterLab widget sends a pad's input to the kernel
      root.dispatchEvent(new CustomEvent('cvae-redraw', {detail: self.last}));
    };
    sliders.forEach(function (s) { s.addEventListener('input', self.draw); });
    buttons.forEach(function (b) {
      b.addEventListener('click', function () {
        if (b.dataset.group) st[b.dataset.group] = isNaN(+b.value) ? b.value : +b.value;
        else if (b.value === 'resample') st.seed += 1;
        else if (b.value === 'reset') {
          sliders.forEach(function (s) { s.value = s.defaultValue; });
        }
        self.draw();
      });
    });
    // the paths, which the tests compare with Python's `interpolate`
    if (self.kind === 'interpolation') self.interpolate = interpolate;
    window.cvaeExplorers = window.cvaeExplorers || {};
    window.cvaeExplorers[id] = self;
    window.cvaeDecode = decode;  // the last explorer's decoder, for a browser's console
    self.draw();
  }

  // The runtime's API, documented in the web chapter: models by name, their encoder and
  // decoder, p(y|x) and all a pad shows, and the MNIST preprocessing of a drawing.
  // `kernel`: which `dots` runs; `kernels`: both, for the tests.
  window.cvaeRuntime = {kernel: wasm ? 'wasm-simd' : 'js',
                        kernels: {js: dotsJS, wasm: wasm ? dotsWasm : null},
                        mount: mount, decoder: decoder, encoder: encoder,
                        load: load, encode: encode, decodeLogits: decodeLogits,
                        digitPosterior: digitPosterior, readDigit: readDigit,
                        interpolate: interpolate, mnistFormat: mnistFormat,
                        canvasInk: canvasInk, canvasPixels: canvasPixels};
})();
