// Numbered, append-only migrations: never edit one that has shipped; add the next number instead.
import { migration as m0001 } from './0001-core';
import { migration as m0002 } from './0002-identity';
import { migration as m0003 } from './0003-hosts';
import { migration as m0004 } from './0004-compute';
import { migration as m0005 } from './0005-image';
import { migration as m0006 } from './0006-network';
import { migration as m0007 } from './0007-identity-extra';
import { migration as m0008 } from './0008-compute-fixed-ips';
import { migration as m0009 } from './0009-scheduler-usage';
import { migration as m0010 } from './0010-host-provisioning';
import { migration as m0011 } from './0011-fixed-ip-unique-mac';
import { migration as m0012 } from './0012-identity-assignments';
import { migration as m0013 } from './0013-identity-delegation';
import { migration as m0014 } from './0014-identity-access-rules';
import { migration as m0015 } from './0015-compute-server-attributes';
import { migration as m0016 } from './0016-compute-quota-classes';
import { migration as m0017 } from './0017-image-members';
import { migration as m0018 } from './0018-image-metadefs';
import { migration as m0019 } from './0019-compute-server-key-data';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  m0001, m0002, m0003, m0004, m0005, m0006, m0007, m0008, m0009, m0010, m0011, m0012, m0013, m0014, m0015, m0016, m0017, m0018, m0019,
];
