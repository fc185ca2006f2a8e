create table `t` (
  `id` INT not null auto_increment,
  `name` VARCHAR(50) not null,
  primary key (`id`)
) engine=InnoDB;
