import type { Handlers } from '../dispatch';
import { authLogin, authLogout, session } from './auth';
import { flavorList, keypairCreate, keypairDelete, keypairImport, keypairList } from './compute-catalog';
import { hostList } from './hosts';
import { hostAdd, hostGet, hostMaintenance, hostPreflight, hostProbe, hostProvision, hostRemove } from './hosts-admin';
import { imageCreate, imageDelete, imageList, imageUpload } from './images';
import { networkList } from './networks';
import { overviewGet } from './overview';
import { serverAction, serverActions, serverConsoleLog, serverCreate, serverDelete, serverGet, serverList } from './servers';
import { setupStart, setupStatus } from './setup';
import { taskCancel, taskList, taskLog } from './tasks';

/** Every contract method's implementation; the type makes a missing one a compile error. */
export const handlers: Handlers = {
  setupStatus,
  setupStart,
  authLogin,
  authLogout,
  session,
  overviewGet,
  serverList,
  serverGet,
  serverCreate,
  serverAction,
  serverDelete,
  serverConsoleLog,
  serverActions,
  imageList,
  imageCreate,
  imageUpload,
  imageDelete,
  flavorList,
  keypairList,
  keypairCreate,
  keypairImport,
  keypairDelete,
  hostList,
  hostProbe,
  hostAdd,
  hostGet,
  hostPreflight,
  hostProvision,
  hostMaintenance,
  hostRemove,
  networkList,
  taskList,
  taskLog,
  taskCancel,
};
