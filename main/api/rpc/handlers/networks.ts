import type { ControlPlane } from '../../../control-plane';
import type { RequestContext } from '../../../core/context';
import type { NetworkView } from '../../contract/views';
import type { Handler } from '../dispatch';

export function networkViews(cp: ControlPlane, ctx: RequestContext): NetworkView[] {
  return cp.networks.list(ctx).networks.map((n) => ({
    id: n.id,
    name: n.name,
    projectId: n.project_id,
    status: n.status,
    shared: n.shared,
    external: n['router:external'],
    cidr: n.cidr,
    mtu: n.mtu,
  }));
}

export const networkList: Handler<'networkList'> = ({ cp, ctx }) => networkViews(cp, ctx);
