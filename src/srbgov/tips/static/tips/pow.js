/* srbgov public tip-off pages: proof-of-work on submit, print buttons.
 * Self-hosted, no dependencies, no network calls, no storage: nothing here identifies
 * the reporter. SHA-256 is written out because crypto.subtle exists only on HTTPS pages,
 * and county intranets often serve plain HTTP. */
(function () {
  "use strict";
  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];
  var W = new Array(64);

  // SHA-256 of an ASCII string; returns the 8 state words.
  function sha256(text) {
    var n = text.length, i, j, t;
    var words = ((n + 9 + 63) >> 6) << 4;
    var m = new Array(words);
    for (i = 0; i < words; i++) m[i] = 0;
    for (i = 0; i < n; i++) m[i >> 2] |= (text.charCodeAt(i) & 0xff) << (24 - (i & 3) * 8);
    m[n >> 2] |= 0x80 << (24 - (n & 3) * 8);
    m[words - 1] = n * 8;
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    for (i = 0; i < words; i += 16) {
      for (j = 0; j < 16; j++) W[j] = m[i + j];
      for (j = 16; j < 64; j++) {
        var a = W[j - 15], b = W[j - 2];
        var s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
        var s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
        W[j] = (W[j - 16] + s0 + W[j - 7] + s1) | 0;
      }
      var A = h[0], B = h[1], C = h[2], D = h[3], E = h[4], F = h[5], G = h[6], H = h[7];
      for (j = 0; j < 64; j++) {
        var S1 = ((E >>> 6) | (E << 26)) ^ ((E >>> 11) | (E << 21)) ^ ((E >>> 25) | (E << 7));
        var ch = (E & F) ^ (~E & G);
        t = (H + S1 + ch + K[j] + W[j]) | 0;
        var S0 = ((A >>> 2) | (A << 30)) ^ ((A >>> 13) | (A << 19)) ^ ((A >>> 22) | (A << 10));
        var maj = (A & B) ^ (A & C) ^ (B & C);
        var t2 = (S0 + maj) | 0;
        H = G; G = F; F = E; E = (D + t) | 0; D = C; C = B; B = A; A = (t + t2) | 0;
      }
      h[0] = (h[0] + A) | 0; h[1] = (h[1] + B) | 0; h[2] = (h[2] + C) | 0; h[3] = (h[3] + D) | 0;
      h[4] = (h[4] + E) | 0; h[5] = (h[5] + F) | 0; h[6] = (h[6] + G) | 0; h[7] = (h[7] + H) | 0;
    }
    return h;
  }

  function leadingZeroBits(h) {
    var bits = 0;
    for (var i = 0; i < 8; i++) {
      if (h[i] === 0) { bits += 32; continue; }
      return bits + Math.clz32(h[i]);
    }
    return bits;
  }

  function hex(h) {
    var out = "";
    for (var i = 0; i < 8; i++) out += ("00000000" + (h[i] >>> 0).toString(16)).slice(-8);
    return out;
  }

  // Searches in slices so the page stays responsive on a slow phone.
  function solve(challenge, bits, done) {
    var nonce = 0;
    function slice() {
      var stop = nonce + 5000;
      for (; nonce < stop; nonce++) {
        if (leadingZeroBits(sha256(challenge + ":" + nonce)) >= bits) return done(String(nonce));
      }
      setTimeout(slice, 0);
    }
    slice();
  }

  window.srbgovPow = { sha256hex: function (s) { return hex(sha256(s)); }, solve: solve };

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var challenge = form.querySelector("input[name=pow_challenge]");
    var nonce = form.querySelector("input[name=pow_nonce]");
    if (!challenge || !nonce || form.getAttribute("data-solved") === "1") return;
    event.preventDefault();
    var bits = parseInt(challenge.getAttribute("data-bits"), 10) || 0;
    // Files cost the server a decode each, so a submission with files pays more.
    var inputs = form.querySelectorAll("input[type=file]");
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].files && inputs[i].files.length) {
        bits = parseInt(challenge.getAttribute("data-upload-bits"), 10) || bits;
        break;
      }
    }
    var button = form.querySelector("button[type=submit]");
    var status = form.querySelector(".pow-status");
    if (button) button.disabled = true;
    if (status) status.hidden = false;
    solve(challenge.value, bits, function (found) {
      nonce.value = found;
      form.setAttribute("data-solved", "1");
      if (button) button.disabled = false;
      HTMLFormElement.prototype.submit.call(form);
    });
  });

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (target && target.closest && target.closest("[data-print]")) window.print();
  });
})();
