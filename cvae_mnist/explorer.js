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
  function dots(A, lda, B, ldb, M, N, K, out) {
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

  // The layers: each returns its output's shape and f(h, C), the layer without its bias
  // on the first C channels of its input h (of `shape`, the label's channels counted).

  // A linear layer, w: (out, in).
  function linear(o, shape) {
    var out = new Float64Array(o.out);
    return {shape: [o.out], f: function (h, C) {
      return dots(o.w, shape[0], h, C, o.out, 1, C, out);
    }};
  }

  // A convolution is its weights (out, in, k, k), a matrix (out, in*k*k), times its
  // input as patches, a matrix (pixels of the output, in*k*k): the k x k window of
  // every input channel that each output pixel sees, 0 where it hangs over the edge.
  function conv(o, shape) {
    var C = shape[0], H = shape[1], W = shape[2], k = o.k, st = o.stride, p = o.pad;
    var Ho = Math.floor((H + 2*p - k)/st) + 1, Wo = Math.floor((W + 2*p - k)/st) + 1;
    var ck = C*k*k, P = Ho*Wo;
    var from = new Int32Array(P*ck), patches = new Float64Array(P*ck);
    var out = new Float64Array(o.out*P);
    // where each number of the patches comes from in h, or -1 (the padding): once
    for (var y = 0; y < Ho; y++) for (var x = 0; x < Wo; x++) {
      for (var c = 0; c < C; c++) for (var i = 0; i < k; i++) {
        for (var j = 0; j < k; j++) {
          var yi = y*st + i - p, xj = x*st + j - p;
          var inside = yi >= 0 && yi < H && xj >= 0 && xj < W;
          from[(y*Wo + x)*ck + (c*k + i)*k + j] = inside ? (c*H + yi)*W + xj : -1;
        }
      }
    }
    return {shape: [o.out, Ho, Wo], f: function (h, n) {
      for (var q = 0; q < P; q++) {
        for (var r = q*ck, end = r + n*k*k; r < end; r++) {
          patches[r] = from[r] < 0 ? 0 : h[from[r]];
        }
      }
      return dots(o.w, ck, patches, ck, o.out, P, n*k*k, out);
    }};
  }

  // A transposed convolution is its weights (in, out, k, k), transposed once to a
  // matrix (out*k*k, in), times its input transposed, (pixels, in); each of the
  // products goes to output pixel (y*stride - pad + i, x*stride - pad + j).
  function convT(o, shape) {
    var C = shape[0], H = shape[1], W = shape[2], k = o.k, st = o.stride, p = o.pad;
    var R = o.out*k*k, P = H*W, Ho = (H - 1)*st - 2*p + k, Wo = (W - 1)*st - 2*p + k;
    var w = new Float64Array(R*C), ht = new Float64Array(P*C);
    var to = new Int32Array(R*P), products = new Float64Array(R*P);
    var out = new Float64Array(o.out*Ho*Wo);
    for (var c = 0; c < C; c++) for (var r = 0; r < R; r++) w[r*C + c] = o.w[c*R + r];
    // where each product goes in the output, or -1 (outside it): once
    for (var a = 0; a < o.out; a++) for (var i = 0; i < k; i++) {
      for (var j = 0; j < k; j++) for (var y = 0; y < H; y++) {
        for (var x = 0; x < W; x++) {
          var yo = y*st - p + i, xo = x*st - p + j;
          var inside = yo >= 0 && yo < Ho && xo >= 0 && xo < Wo;
          to[((a*k + i)*k + j)*P + y*W + x] = inside ? (a*Ho + yo)*Wo + xo : -1;
        }
      }
    }
    return {shape: [o.out, Ho, Wo], f: function (h, n) {
      for (var c = 0; c < n; c++) for (var q = 0; q < P; q++) ht[q*C + c] = h[c*P + q];
      dots(w, C, ht, C, R, P, n, products);
      out.fill(0);
      for (var e = 0; e < R*P; e++) if (to[e] >= 0) out[to[e]] += products[e];
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
  // and the activations in place, and returns what the last one gives.
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
        steps.push({f: L.f, C: shape[0], offset: offset, labels: K > 0});
        labelled = labelled || K > 0;
        shape = L.shape;
        K = 0;
      }
      else if (o.op === 'relu') steps.push({slope: 0});
      else if (o.op === 'leaky_relu') steps.push({slope: o.slope});
      else if (o.op === 'tanh') steps.push({tanh: true});
      else throw new Error('no operation ' + o.op + ' in this runtime');
    });
    return function run(x, digit) {
      if (labelled && !(digit >= 0 && digit < nClasses && digit % 1 === 0)) {
        throw new Error('the model is conditional: give a digit 0-' + (nClasses - 1) +
                        ', not ' + digit);
      }
      var h = Float64Array.from(x);
      steps.forEach(function (s) {
        if (s.f) {  // a layer: its product, then its offset for the digit
          var b = s.offset(s.labels ? digit : 0);
          h = s.f(h, s.C);
          for (var i = 0; i < h.length; i++) h[i] += b[i];
        }
        else if (s.tanh) h = h.map(Math.tanh);
        else {  // a (leaky) ReLU
          for (var j = 0; j < h.length; j++) if (h[j] < 0) h[j] *= s.slope;
        }
      });
      return h;
    };
  }

  // A model's decoder, prepared once: decode(z, digit) gives the 784 pixel
  // probabilities of the code z (and digit), or their logits if its third argument is
  // true.
  function decoder(model) {
    var run = program(model.ops, [model.latent_dim], model.n_classes);
    return function decode(z, digit, logits) {
      if (z.length !== model.latent_dim) {
        throw new Error('z must have ' + model.latent_dim + ' numbers');
      }
      var h = run(z, digit);
      if (logits) return Array.from(h);
      return Array.from(h, function (v) { return 1/(1 + Math.exp(-v)); });
    };
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
    return function encode(pixels, digit) {
      if (!pixels || pixels.length !== 784) {
        throw new Error('pixels must be 784 numbers (28 x 28, row after row), not ' +
                        (pixels && pixels.length));
      }
      var h = run(pixels, digit);
      return {mu: h.slice(0, D), logvar: h.slice(D, 2*D)};
    };
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
    }
  };

  // ---- Starting an explorer ---------------------------------------------------------
  // Per decoder: one copy, one request, however many explorers use it.
  var decoders = {}, scripts = {};

  // The decoder, from the fragment, or (on the site) from its script in models/.
  function load(root) {
    var key = root.dataset.modelKey, inline = root.querySelector('.cvae-model');
    if (decoders[key]) return Promise.resolve(decoders[key]);
    if (inline) {
      decoders[key] = decoder(JSON.parse(inline.textContent));
      return Promise.resolve(decoders[key]);
    }
    scripts[key] = scripts[key] || new Promise(function (ok, fail) {
      var s = document.createElement('script');
      s.onload = function () {
        ok(decoders[key] = decoders[key] || decoder(window.cvaeModels[key]));
      };
      s.onerror = function () {
        fail(new Error('could not load the decoder, ' + root.dataset.modelSrc));
      };
      s.src = root.dataset.modelSrc;
      document.head.appendChild(s);
    });
    return scripts[key];
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

  // Each fragment ends by calling mount on its own id.
  function mount(id) {
    var root = document.getElementById(id), note = root.querySelector('.cvae-note');
    whenNear(root, function () {
      note.textContent = 'loading the decoder...';
      load(root).then(function (decode) { note.textContent = ''; start(root, decode); },
                      function (err) { note.textContent = err.message; throw err; });
    });
  }

  // Wire the controls to the state and the state to the drawing, and register the
  // explorer as window.cvaeExplorers[id]: {kind, model, decode, draw, last} (and
  // interpolate, for the tests).
  function start(root, decode) {
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
    var redraw = kinds[self.kind](spec, st, decode, canvases);
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

  window.cvaeRuntime = {mount: mount, decoder: decoder, encoder: encoder,
                        encode: encode, decodeLogits: decodeLogits,
                        interpolate: interpolate, mnistFormat: mnistFormat};
})();
