import { createContext, useContext } from 'react';
import { hasRole, type Role } from '../../server/auth/roles';

/** What login and `GET /api/auth/session` answer. */
export interface SessionInfo {
  user: { name: string; role: Role };
  csrfToken: string;
}

/** The logged-in user's role; pages hide what it may not do (the server refuses it either way). */
export const RoleContext = createContext<Role>('viewer');

export function useCan(need: Role): boolean {
  return hasRole(useContext(RoleContext), need);
}

export function useRole(): Role {
  return useContext(RoleContext);
}
