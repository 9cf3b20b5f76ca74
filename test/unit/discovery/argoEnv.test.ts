import assert from 'node:assert/strict';
import { argoEnv, argoEnvsubst } from '../../../src/core/discovery/argoEnv';

describe("Argo CD's $ARGOCD_APP_* substitution (os.Expand)", () => {
  const env = argoEnv({ appName: 'web', namespace: 'shop', revision: '0123456789abcdef', targetRevision: 'main' });

  it('expands $NAME and ${NAME}, empties names it does not set, keeps $$ as $ and a lone $', () => {
    assert.equal(argoEnvsubst('$ARGOCD_APP_NAME-${ARGOCD_APP_NAMESPACE}', env), 'web-shop');
    assert.equal(argoEnvsubst('${ARGOCD_APP_REVISION_SHORT}/$ARGOCD_APP_REVISION_SHORT_8', env), '0123456/01234567');
    assert.equal(argoEnvsubst('x$UNSET-y', env), 'x-y');
    assert.equal(argoEnvsubst('cost: $$5, $ alone, trailing $', env), 'cost: $5, $ alone, trailing $');
    assert.equal(argoEnvsubst('{ a: $.b }', env), '{ a: $.b }', 'a $ before no name stays (jsonnet code keeps its $)');
  });

  it('drops bad syntax as os.Expand does: ${} and an unclosed ${', () => {
    assert.equal(argoEnvsubst('a${}b', env), 'ab');
    assert.equal(argoEnvsubst('a${ARGOCD_APP_NAME', env), 'aARGOCD_APP_NAME');
  });
});
