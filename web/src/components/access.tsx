import type { ReactNode } from 'react';
import type { Role } from '../gql/graphql';
import { useWorkspace } from '../state';

/** Owners and admins change these settings; editors and viewers only read them. */
export function canManage(role: Role | null | undefined): boolean {
  return role === 'OWNER' || role === 'ADMIN' || role === 'DEVELOPER';
}

export function useCanManage(): boolean {
  return canManage(useWorkspace().me?.role);
}

export function ReadOnlyNote({ what }: { what: string }) {
  return <p className="alert alert-warn">Only owners and admins change {what}; you can read them.</p>;
}

/** Everyone but viewers changes data (editors only on their granted sites, the only ones the API lists for them). */
export function canWrite(role: Role | null | undefined): boolean {
  return !!role && role !== 'VIEWER';
}

export function useCanWrite(): boolean {
  return canWrite(useWorkspace().me?.role);
}

/** Renders write controls only for those who may write: viewers see none (the server still refuses them). */
export function IfCanWrite({ children }: { children: ReactNode }) {
  return useCanWrite() ? <>{children}</> : null;
}

/** Renders owner/admin controls only for owners and admins. */
export function IfCanManage({ children }: { children: ReactNode }) {
  return useCanManage() ? <>{children}</> : null;
}
