/** What other features may use from users. */
export { UserSchema, toUserDto, getUser, findUserByEmail, usernameTaken, usernameTakenError, freeUsername, type UserDto } from './data.ts';
export { usersRouter } from './router.ts';
export { deleteAccount } from './mutations.ts';
