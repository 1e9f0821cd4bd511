import { describe, expect, it } from 'vitest';
import { verdictsOf } from './mail-authentication.js';

/** Only the trusted relay's topmost Authentication-Results header counts (docs/SECURITY.md). */
describe('SPF, DKIM and DMARC verdicts', () => {
  const relay = 'mx.company.test';

  it('reads the topmost header with the configured authserv-id, comments and folding aside', () => {
    const header =
      'MX.Company.test 1; spf=pass (sender IP is 192.0.2.1; allowed) smtp.mailfrom=a.test;\r\n\tdkim=fail header.d=a.test; dkim=pass header.d=b.test; dmarc=none header.from=a.test';
    expect(verdictsOf([header], relay)).toEqual({ spf: 'pass', dkim: 'pass', dmarc: 'none' });
  });

  it('ignores forged headers below it, headers of other ids, and everything without a configured id', () => {
    const trusted = `${relay}; spf=softfail; dkim=none; dmarc=fail`;
    const forged = `${relay}; spf=pass; dkim=pass; dmarc=pass`;
    expect(verdictsOf(['other.test; spf=pass', trusted, forged], relay)).toEqual({
      spf: 'softfail',
      dkim: 'none',
      dmarc: 'fail',
    });
    expect(verdictsOf(['evil.test; spf=pass; dkim=pass; dmarc=pass'], relay)).toEqual({
      spf: null,
      dkim: null,
      dmarc: null,
    });
    expect(verdictsOf([forged], null)).toEqual({ spf: null, dkim: null, dmarc: null });
    // A comment cannot smuggle a result in, nor hide the id.
    expect(verdictsOf([`(x) ${relay}; spf=fail (; dmarc=pass)`], relay)).toEqual({
      spf: 'fail',
      dkim: null,
      dmarc: null,
    });
  });
});
