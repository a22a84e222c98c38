import type { Handlers } from '../dispatch';
import { appCredentialCreate, appCredentialDelete, appCredentialList } from './app-credentials';
import { authLogin, authLogout, authRescope, projectListMine, session } from './auth';
import { flavorList, keypairCreate, keypairDelete, keypairImport, keypairList } from './compute-catalog';
import { hostList } from './hosts';
import { projectCreate, projectDelete, projectList, projectUpdate, roleAssign, roleAssignmentList, roleList, roleUnassign, userCreate, userDelete, userList, userSetPassword, userUpdate } from './identity';
import { groupCreate, groupDelete, groupList, groupMemberAdd, groupMemberRemove, groupRoleAssign, groupRoleUnassign, groupUpdate } from './identity-groups';
import { hostAdd, hostGet, hostMaintenance, hostPreflight, hostProbe, hostProvision, hostRemove } from './hosts-admin';
import { imageCreate, imageDelete, imageList, imageUpload } from './images';
import { networkList } from './networks';
import { overviewGet } from './overview';
import { quotaGet, quotaUpdate } from './quotas';
import { serverAction, serverActions, serverConsoleLog, serverCreate, serverDelete, serverGet, serverList } from './servers';
import { setupStart, setupStatus, setupVerify } from './setup';
import { taskCancel, taskList, taskLog } from './tasks';

/** Every contract method's implementation; the type makes a missing one a compile error. */
export const handlers: Handlers = {
  setupStatus,
  setupVerify,
  setupStart,
  authLogin,
  authLogout,
  session,
  authRescope,
  projectListMine,
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
  quotaGet,
  quotaUpdate,
  projectList,
  projectCreate,
  projectUpdate,
  projectDelete,
  userList,
  userCreate,
  userUpdate,
  userSetPassword,
  userDelete,
  roleList,
  roleAssignmentList,
  roleAssign,
  roleUnassign,
  groupList,
  groupCreate,
  groupUpdate,
  groupDelete,
  groupMemberAdd,
  groupMemberRemove,
  groupRoleAssign,
  groupRoleUnassign,
  appCredentialList,
  appCredentialCreate,
  appCredentialDelete,
  taskList,
  taskLog,
  taskCancel,
};
